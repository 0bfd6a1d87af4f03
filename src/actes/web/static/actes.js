/* actes serve: progressive enhancement only. Every page works without this file; with it,
   the form shows only the fields of the party type chosen, and a long operation shows that
   it is running and cannot be sent twice. No data leaves the page. */
(function () {
  "use strict";

  /* Party type: show the fields of a company or of a person, as the server does on load. */
  function partyFields(select) {
    var group = select.id.replace(/-type$/, "");
    var chosen = select.value;
    document.querySelectorAll('[data-partie="' + group + '"]').forEach(function (el) {
      var keep = !chosen || el.getAttribute("data-pour") === chosen;
      var filled = Array.prototype.some.call(
        el.querySelectorAll("input:not([type=hidden]), select, textarea"),
        function (input) { return input.type === "checkbox" ? input.checked : input.value !== ""; }
      );
      el.hidden = !(keep || filled);
    });
  }

  document.querySelectorAll("select[id$='-type']").forEach(function (select) {
    if (document.querySelector('[data-partie="' + select.id.replace(/-type$/, "") + '"]')) {
      select.addEventListener("change", function () { partyFields(select); });
    }
  });

  /* One submission at a time, with its progress shown next to the button pressed. */
  document.querySelectorAll("form[data-une-fois]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-envoye") === "1") {
        event.preventDefault();
        return;
      }
      var button = event.submitter;
      if (button && button.name) {
        /* A disabled button is not sent: its value travels in a hidden field. */
        var copy = document.createElement("input");
        copy.type = "hidden";
        copy.name = button.name;
        copy.value = button.value;
        form.appendChild(copy);
      }
      form.setAttribute("data-envoye", "1");
      var message = button && button.getAttribute("data-attente");
      var status = form.querySelector(".en-cours");
      if (message && status) {
        status.textContent = message;
        status.classList.add("actif");
      }
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    });
  });

  /* The result of an operation, or the list of problems, comes into view with the focus. */
  var target = document.getElementById("resultat") || document.getElementById("erreurs-resume");
  if (target && !window.location.hash) {
    target.scrollIntoView({ block: "start" });
  }
  if (target) {
    target.focus({ preventScroll: true });
  }
})();
