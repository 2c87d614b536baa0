// The public site's script on every page, a file of its own: the Content-Security-Policy runs no inline script.
// (Lesson pages add static/js/video-progress.js for their players.) Everything here is a convenience: the pages
// work without it.

// The language menu applies a choice at once; without JavaScript, the form's own button does.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-submit-on-change]")) {
    event.target.form.submit();
  }
});

// The menus made of <details> (the header's menu, the account menu) close as menus do: with Escape, which
// gives the focus back to the menu's button when it was inside, or with a click elsewhere on the page.
const MENUS = "details.site-menu[open], details.account-menu[open]";
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  const open = [...document.querySelectorAll(MENUS)];
  // The outermost menu holding the focus whose button shows (a wide screen hides the header menu's button).
  const holder = open.find(
    (menu) => menu.contains(document.activeElement) && menu.querySelector("summary").getClientRects().length,
  );
  open.forEach((menu) => {
    menu.open = false;
  });
  if (holder) {
    holder.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  document.querySelectorAll(MENUS).forEach((menu) => {
    if (!menu.contains(event.target)) {
      menu.open = false;
    }
  });
});
