package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of every 4xx/5xx answer: what is wrong, which field, how to fix it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String field, String hint) {
}
