/** Exported: other bundles import it. A change a consumer would notice bumps this version (semantic versioning). */
@Version("2.0.0")
package io.stratos.lxc.api.controller;

import org.osgi.annotation.versioning.Version;
