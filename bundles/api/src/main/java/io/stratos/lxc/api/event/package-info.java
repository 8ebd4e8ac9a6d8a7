/**
 * The topics and property names of the events Stratos posts on OSGi EventAdmin (see {@link io.stratos.lxc.api.event.StratosEvents}).
 * Exported: other bundles import it. A change a consumer would notice bumps this version (semantic versioning).
 */
@Version("1.0.0")
package io.stratos.lxc.api.event;

import org.osgi.annotation.versioning.Version;
