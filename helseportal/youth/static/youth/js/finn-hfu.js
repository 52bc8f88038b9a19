// Finn helsestasjon for ungdom: offer "Bruk posisjonen min" where the browser can tell where she is.
// Progressive enhancement: without this script the page works with postcode or municipality. The position is
// rounded to two decimals (about a kilometre) before it leaves the browser, and is only put in the search.
(function () {
  "use strict";
  var box = document.getElementById("locate");
  if (!box || !("geolocation" in navigator)) {
    return;
  }
  var button = box.querySelector("button");
  var status = box.querySelector("[data-status]");
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = box.getAttribute("data-waiting");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var query = new URLSearchParams();
        query.set("lat", position.coords.latitude.toFixed(2));
        query.set("lon", position.coords.longitude.toFixed(2));
        window.location.assign(window.location.pathname + "?" + query.toString() + "#results-heading");
      },
      function () {
        status.textContent = box.getAttribute("data-denied");
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
})();
