/** Exported: the components that keep tables in the controller database migrate through it. A change a consumer would notice bumps this version. */
@Version("1.0.0")
package io.stratos.lxc.persistence;

import org.osgi.annotation.versioning.Version;
