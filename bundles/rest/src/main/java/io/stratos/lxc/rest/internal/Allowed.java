package io.stratos.lxc.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which roles ({@link io.stratos.lxc.api.security.Role}) may call a resource method (or every method of a
 * class), besides {@code admin}, who may call everything. A method without it, on a class without it, is for
 * admins only: forgetting it closes a door rather than opening one. {@link #PUBLIC} needs no credentials.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface Allowed {

    /** Needs no credentials at all. */
    String PUBLIC = "public";

    String[] value();
}
