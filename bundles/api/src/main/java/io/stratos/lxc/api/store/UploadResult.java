package io.stratos.lxc.api.store;

/**
 * What an upload did.
 *
 * @param image   the stored version
 * @param created true when this upload stored it; false when the same bytes were already there
 *                (a repeated upload is idempotent, not an error)
 */
public record UploadResult(CartridgeImage image, boolean created) {
}
