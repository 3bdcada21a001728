// Training playback: a slider and a play button step through the frames
// of a figure.playback (frames listed in the data-frames of each image, and
// of each <source> that replaces it on narrow screens).
(function () {
  function wire(figure) {
    if (figure.dataset.wired) return;
    figure.dataset.wired = "1";
    var images = figure.querySelectorAll("[data-frames]");
    var frames = Array.prototype.map.call(images, function (img) {
      return img.dataset.frames.split(" ");
    });
    var epochs = figure.dataset.epochs.split(" ");
    var slider = figure.querySelector("input[type=range]");
    var button = figure.querySelector(".playback-play");
    var label = figure.querySelector(".playback-epoch");
    var timer = null;

    function show(i) {
      images.forEach(function (el, k) {
        if (el.tagName === "SOURCE") el.srcset = frames[k][i];
        else el.src = frames[k][i];
      });
      slider.value = i;
      label.textContent = "epoch " + epochs[i];
    }
    function stop() {
      clearInterval(timer);
      timer = null;
      button.textContent = "Play";
    }
    slider.addEventListener("input", function () { stop(); show(Number(slider.value)); });
    button.addEventListener("click", function () {
      if (timer) return stop();
      var i = Number(slider.value) >= epochs.length - 1 ? 0 : Number(slider.value);
      show(i);
      button.textContent = "Pause";
      timer = setInterval(function () {
        i += 1;
        if (i >= epochs.length) return stop();
        show(i);
      }, 600);
    });
  }
  function init() {
    document.querySelectorAll("figure.playback").forEach(wire);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
