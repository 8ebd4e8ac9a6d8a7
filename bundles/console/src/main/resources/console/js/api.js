// The public REST API (/stratos/api/v1), with the signed-in user's HTTP Basic credentials on every call.
// The console has no other way in: what it shows and changes, a script could show and change too.

const BASE = new URL('../api/v1', document.baseURI).pathname;
const CREDENTIALS = 'stratos.console.credentials';

/** An answer of the API other than 2xx: its {"error","field","hint"}. */
export class ApiError extends Error {
  constructor(status, body, what) {
    super(body && body.error ? body.error : `${what} answered HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.field = body && body.field ? body.field : null;
    this.hint = body && body.hint ? body.hint : null;
  }
}

/** The controller did not answer at all. */
export class ConnectionLost extends Error {
  constructor(what, cause) {
    super(`no answer from the controller (${what}${cause && cause.message ? `: ${cause.message}` : ''})`);
    this.name = 'ConnectionLost';
  }
}

let unauthorized = () => {};

/** Called with the ApiError of any 401: the console then asks for credentials again. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/** The credentials of this browser tab: kept in sessionStorage, so they go when the tab does. */
export const session = {
  user() {
    const stored = read();
    return stored ? stored.user : null;
  },
  signedIn() {
    return read() !== null;
  },
  signIn(user, password) {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    const authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
    sessionStorage.setItem(CREDENTIALS, JSON.stringify({user, authorization}));
  },
  signOut() {
    sessionStorage.removeItem(CREDENTIALS);
  },
  authorization() {
    const stored = read();
    return stored ? stored.authorization : null;
  },
};

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(CREDENTIALS));
  } catch (e) {
    return null;
  }
}

function headers(extra) {
  // X-Requested-With: a 401 then carries no WWW-Authenticate challenge, so the browser does not pop up its
  // own password dialog over the console's form.
  const result = {'Accept': 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...extra};
  const authorization = session.authorization();
  if (authorization) result['Authorization'] = authorization;
  return result;
}

function failure(status, text, what) {
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = {error: `${what} answered HTTP ${status}: ${text.slice(0, 200)}`};
  }
  const error = new ApiError(status, body && typeof body === 'object' ? body : null, what);
  if (status === 401) unauthorized(error);
  return error;
}

/** One call; resolves to the parsed JSON (null for 204), rejects with ApiError or ConnectionLost. */
export async function call(method, path, body) {
  const what = `${method} ${path}`;
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers: headers(body === undefined ? {} : {'Content-Type': 'application/json'}),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ConnectionLost(what, e);
  }
  let text;
  try {
    text = await response.text();
  } catch (e) {
    throw new ConnectionLost(what, e);
  }
  if (!response.ok) throw failure(response.status, text, what);
  return text ? JSON.parse(text) : null;
}

export const api = {
  get: path => call('GET', path),
  post: (path, body) => call('POST', path, body),
  put: (path, body) => call('PUT', path, body),
  delete: path => call('DELETE', path),
};

/**
 * PUT of a file as the raw request body, reporting progress (fetch cannot report upload progress, so
 * XMLHttpRequest). Resolves to the API's answer.
 */
export function upload(path, file, onProgress) {
  const what = `PUT ${path}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', BASE + path);
    for (const [name, value] of Object.entries(headers({'Content-Type': 'application/octet-stream'}))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', e => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size);
        try {
          resolve(xhr.responseText ? JSON.parse(xhr.responseText) : null);
        } catch (e) {
          resolve(null);
        }
      } else {
        reject(failure(xhr.status, xhr.responseText || '', what));
      }
    });
    xhr.addEventListener('error', () => reject(new ConnectionLost(what)));
    xhr.addEventListener('abort', () => reject(new ConnectionLost(what, {message: 'aborted'})));
    xhr.send(file);
  });
}
