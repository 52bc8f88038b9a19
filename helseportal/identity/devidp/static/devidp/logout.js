// Front-channel logout (OpenID Connect Front-Channel Logout 1.0): go on to the client once every hidden logout
// frame has loaded, or after three seconds. Loaded before the frames, so their load events cannot be missed.
(function () {
  "use strict";
  var box = document.getElementById("frontchannel");
  var target = box ? box.getAttribute("data-continue") : "";
  var pending = box ? Number(box.getAttribute("data-frames")) : 0;
  var done = false;
  if (!target) {
    return;
  }
  function go() {
    if (!done) {
      done = true;
      window.location.replace(target);
    }
  }
  document.addEventListener(
    "load",
    function (event) {
      var frame = event.target;
      if (frame instanceof HTMLIFrameElement && frame.hasAttribute("data-frontchannel")) {
        pending -= 1;
        if (pending <= 0) {
          go();
        }
      }
    },
    true
  );
  window.setTimeout(go, 3000);
})();
