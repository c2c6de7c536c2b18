// Warns two minutes before a signed-in session ends for want of use, and renews it on request
// (xinyong/access/session.py). Without this script nothing is lost but the warning.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) { return; }
  var seconds = parseInt(box.getAttribute("data-seconds"), 10);
  var url = box.getAttribute("data-alive");
  var ahead = Math.min(120, Math.floor(seconds / 4));
  var button = box.querySelector("button");
  var ending = box.querySelector("[data-ending]");
  var ended = box.querySelector("[data-ended]");
  var timers = [];

  function schedule() {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(warn, (seconds - ahead) * 1000),
      setTimeout(end, seconds * 1000)
    ];
  }

  function warn() {
    ending.hidden = false;
    ended.hidden = true;
    button.hidden = false;
    box.hidden = false;
    button.focus();
  }

  function end() {
    ending.hidden = true;
    ended.hidden = false;
    button.hidden = true;
    box.hidden = false;
  }

  button.addEventListener("click", function () {
    fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
      if (answer.status === 204) {
        box.hidden = true;
        schedule();
      } else {
        end();
      }
    }, end);
  });

  schedule();
}());
