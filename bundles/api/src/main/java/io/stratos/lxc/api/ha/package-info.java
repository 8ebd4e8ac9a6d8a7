/**
 * Several controllers on one database: which one is active (holds the leader lease) and which stand by.
 * Exported: other bundles import it. A change a consumer would notice bumps this version (semantic versioning).
 */
@Version("1.0.0")
package io.stratos.lxc.api.ha;

import org.osgi.annotation.versioning.Version;
