// The public site's script on every page, a file of its own: the Content-Security-Policy runs no inline script.
// (Lesson pages add static/js/video-progress.js for their players.)

// The language menu applies a choice at once; without JavaScript, the form's own button does.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-submit-on-change]")) {
    event.target.form.submit();
  }
});
