// Progressive enhancement only: every page works without this file.
// - <select data-autosubmit> submits its filter form when changed (the button stays for keyboards).
// - <button data-confirm="..."> asks before submitting (revoking a token).
// - <button data-copy="ID"> copies the text of element ID (a token shown once).
document.addEventListener('change', (e) => {
  const el = e.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit') && el.form) {
    const page = el.form.querySelector('input[name="page"]');
    if (page) page.remove();
    el.form.requestSubmit();
  }
});

document.addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target.closest('[data-confirm],[data-copy]') : null;
  if (!target) return;
  const question = target.getAttribute('data-confirm');
  if (question && !window.confirm(question)) {
    e.preventDefault();
    return;
  }
  const copyId = target.getAttribute('data-copy');
  if (copyId) {
    const source = document.getElementById(copyId);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(() => {
        target.setAttribute('data-copied', '');
      });
    }
  }
});
