/** Exported: other bundles import it. A change a consumer would notice bumps this version (semantic versioning). */
@Version("1.1.0")
package io.stratos.lxc.api.store;

import org.osgi.annotation.versioning.Version;
