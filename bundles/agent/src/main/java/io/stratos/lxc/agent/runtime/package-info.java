/** Exported for the optional runtime bundles (stratos-agent-docker). A change a consumer would notice bumps this version (semantic versioning). */
@Version("1.0.0")
package io.stratos.lxc.agent.runtime;

import org.osgi.annotation.versioning.Version;
