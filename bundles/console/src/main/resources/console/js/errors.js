// Errors in words, next to what caused them.
import {h, fill} from './dom.js';
import {ApiError, ConnectionLost} from './api.js';

/** The sentence for an error: the API's error, and its hint when it has one. */
export function describe(error) {
  if (error instanceof ApiError) {
    return error.hint ? `${error.message} (${error.hint})` : error.message;
  }
  return error && error.message ? error.message : String(error);
}

/** Shows (or with null, clears) an error in an element. */
export function showError(el, error) {
  if (!el) return;
  if (!error) {
    el.hidden = true;
    fill(el);
    return;
  }
  fill(el, h('span', {class: 'error-text'}, error instanceof ApiError ? error.message : describe(error)),
    error instanceof ApiError && error.hint ? h('span', {class: 'error-hint'}, ` (${error.hint})`) : null,
    error instanceof ApiError ? h('span', {class: 'error-status'}, ` HTTP ${error.status}`) : null);
  el.hidden = false;
}

/**
 * Errors of a form: one element per input (`<small class="field-error" data-for="alias">`) and one for the
 * form. An API error naming a field lands beside that input, others beside the form's button.
 */
export function formErrors(form, general) {
  const fieldError = name => form.querySelector(`.field-error[data-for="${CSS.escape(name)}"]`);
  return {
    clear() {
      form.querySelectorAll('.field-error').forEach(el => showError(el, null));
      form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
      showError(general, null);
    },
    show(error) {
      const target = error instanceof ApiError && error.field ? fieldError(error.field) : null;
      showError(target || general, error);
      if (target) {
        const input = form.elements.namedItem(error.field);
        if (input && input.setAttribute) {
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        }
      }
    },
  };
}

/**
 * Loads data for one part of a page: an API error is shown in that part's error element and the part keeps
 * what it showed; a lost connection or a 401 goes up to the page, which shows it for the whole console.
 */
export async function load(errorEl, request) {
  try {
    const result = await request();
    showError(errorEl, null);
    return {ok: true, value: result};
  } catch (error) {
    if (error instanceof ConnectionLost || (error instanceof ApiError && error.status === 401)) throw error;
    showError(errorEl, error);
    return {ok: false, error};
  }
}
