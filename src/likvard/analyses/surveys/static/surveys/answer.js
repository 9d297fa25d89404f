// Read-aloud for the questionnaire: the browser's own speech synthesis, no outside service.
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var form = document.getElementById("survey-form");
  if (!form) { return; }
  var lang = form.getAttribute("data-lang") || "sv-SE";
  document.querySelectorAll("[data-read]").forEach(function (button) {
    if (!synth) { button.hidden = true; return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-read"));
      if (!target) { return; }
      synth.cancel();
      // the question, then its choices, as a young pupil needs to hear them
      var fieldset = button.closest("fieldset");
      var choices = fieldset ? Array.prototype.map.call(
        fieldset.querySelectorAll(".survey-choices label"),
        function (label) { return label.textContent.trim(); }) : [];
      var text = target.textContent.trim() + (choices.length ? ". " + choices.join(". ") : "");
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      var voice = synth.getVoices().filter(function (v) { return v.lang && v.lang.indexOf(lang.slice(0, 2)) === 0; })[0];
      if (voice) { utterance.voice = voice; }
      button.setAttribute("data-speaking", "true");
      utterance.onend = function () { button.removeAttribute("data-speaking"); };
      synth.speak(utterance);
    });
  });
})();
