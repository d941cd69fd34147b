/* The request form's CAPTCHA: "another picture" swaps the picture in place instead of opening it
   in a new tab (what the link does without script). Our own static file: no inline script (CSP). */
(function () {
  "use strict";
  var image = document.getElementById("captcha-image");
  var link = document.querySelector("a.captcha-refresh");
  if (!image || !link) return;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    image.src = link.href.split("?")[0] + "?n=" + Date.now();
    var box = document.getElementById("id_captcha");
    if (box) { box.value = ""; box.focus(); }
  });
})();
