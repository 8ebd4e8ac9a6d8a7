// Cartridges: their versions, sizes and tags; uploading a version with a progress bar.
import {api, upload} from '../api.js';
import {h, fill, confirmButton, renderIfChanged} from '../dom.js';
import {formErrors, load, showError} from '../errors.js';
import {bytes, dateTime, shortDigest} from '../format.js';

const FILE_NAME = /^([a-z][a-z0-9-]*?)-(\d[0-9A-Za-z.+-]*?)\.(tar\.gz|tgz|tar|tar\.zst)$/;

export function create(root, params, shell) {
  const listError = h('p', {class: 'error', hidden: true});
  const list = h('div', {id: 'cartridges'});
  const rowErrors = new Map();

  const progress = h('progress', {id: 'upload-progress', max: 100, value: 0});
  const progressText = h('span', {id: 'upload-progress-text', class: 'muted'});
  const progressRow = h('div', {class: 'progress-row', hidden: true}, progress, progressText);
  const result = h('p', {id: 'upload-result', class: 'success', hidden: true});
  const formError = h('p', {id: 'upload-error', class: 'error', role: 'alert', hidden: true});
  const fileInput = h('input', {id: 'upload-file', name: 'image', type: 'file', accept: '.tar,.gz,.tgz,.zst,application/gzip,application/x-tar', required: true});
  const nameInput = h('input', {id: 'upload-name', name: 'name', required: true, pattern: '[a-z][a-z0-9-]*', placeholder: 'static-httpd'});
  const versionInput = h('input', {id: 'upload-version', name: 'version', required: true, placeholder: '1.0.1'});
  const submit = h('button', {id: 'upload-submit', type: 'submit'}, 'Upload');
  const form = h('form', {id: 'upload-form', class: 'card form', novalidate: true},
    h('h2', {}, 'Upload a version'),
    h('p', {class: 'muted'}, 'An image tarball with cartridge.json at the top and the root filesystem under rootfs/ (see cartridges/ for recipes).'),
    h('div', {class: 'fields'},
      h('label', {}, 'Image file', fileInput, h('small', {class: 'field-error', 'data-for': 'image', hidden: true})),
      h('label', {}, 'Cartridge', nameInput, h('small', {class: 'field-error', 'data-for': 'name', hidden: true})),
      h('label', {}, 'Version', versionInput, h('small', {class: 'field-error', 'data-for': 'version', hidden: true}))),
    h('div', {class: 'actions'}, submit, progressRow),
    formError, result);
  const errors = formErrors(form, formError);

  fileInput.addEventListener('change', () => {
    const file = fileInput.files[0];
    const match = file && file.name.match(FILE_NAME);
    if (match) {
      if (!nameInput.value) nameInput.value = match[1];
      versionInput.value = match[2];
    }
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    errors.clear();
    result.hidden = true;
    const file = fileInput.files[0];
    const name = nameInput.value.trim();
    const version = versionInput.value.trim();
    if (!file || !name || !version) {
      errors.show(new Error(!file ? 'Choose an image file.' : !name ? 'Name the cartridge.' : 'Give the version.'));
      return;
    }
    submit.disabled = true;
    progressRow.hidden = false;
    progress.value = 0;
    try {
      const uploaded = await upload(`/cartridges/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`, file,
        (sent, total) => {
          const share = total ? Math.round(100 * sent / total) : 0;
          progress.value = share;
          progressText.textContent = `${share} % · ${bytes(sent)} of ${bytes(total)}`;
        });
      fill(result, `${uploaded.created === false ? 'Already stored' : 'Uploaded'} ${uploaded.name} ${uploaded.version}: `,
        h('code', {}, uploaded.digest), `, ${bytes(uploaded.size)}.`);
      result.hidden = false;
      form.reset();
      shell.refreshNow();
    } catch (error) {
      errors.show(error);
    } finally {
      submit.disabled = false;
    }
  });

  root.append(h('h1', {}, 'Cartridges'), listError, list, form);

  async function remove(name, version) {
    const key = `${name}@${version}`;
    try {
      await api.delete(`/cartridges/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`);
      rowErrors.delete(key);
    } catch (error) {
      rowErrors.set(key, error);
    }
    list.dataset.rendered = '';
    await shell.refreshNow();
  }

  return {
    async refresh() {
      const cartridges = await load(listError, () => api.get('/cartridges'));
      if (!cartridges.ok) return;
      renderIfChanged(list, [cartridges.value, [...rowErrors.keys()]], () => fill(list, cartridges.value.length
        ? cartridges.value.map(c => h('section', {class: 'card cartridge', dataset: {cartridge: c.name}},
          h('header', {}, h('h3', {}, c.name),
            Object.entries(c.tags || {}).map(([tag, version]) => h('span', {class: 'badge tag'}, `${tag} → ${version}`))),
          h('table', {},
            h('thead', {}, h('tr', {}, ['Version', 'Size', 'Digest', 'Uploaded', 'Runtimes', 'Request', 'Description', ''].map(t => h('th', {}, t)))),
            h('tbody', {}, (c.versions || []).map(v => {
              const m = v.manifest || {};
              const rowError = h('div', {class: 'error', hidden: true});
              showError(rowError, rowErrors.get(`${c.name}@${v.version}`));
              return h('tr', {dataset: {version: v.version}},
                h('td', {}, h('strong', {}, v.version), ' ', (v.tags || []).map(t => h('span', {class: 'badge tag'}, t))),
                h('td', {class: 'num'}, bytes(v.size)),
                h('td', {}, h('code', {title: v.digest}, shortDigest(v.digest))),
                h('td', {}, dateTime(v.uploadedAt)),
                h('td', {}, (m.runtimes || []).join(', ')),
                h('td', {}, m.resources ? `${m.resources.cpuMillis} m · ${m.resources.memoryMiB} MiB` : ''),
                h('td', {class: 'muted'}, m.description || ''),
                h('td', {class: 'row-actions'},
                  confirmButton('Delete', 'Delete for good?', () => remove(c.name, v.version), {class: 'danger small delete-version', 'data-confirm': `delete:${c.name}@${v.version}`}),
                  rowError));
            })))))
        : h('p', {class: 'muted'}, 'No cartridges yet: upload one below.')));
    },
  };
}
