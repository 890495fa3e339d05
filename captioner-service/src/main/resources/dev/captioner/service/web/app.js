// The page of `captioner serve`: send the chosen image to POST /v1/captions with attention=true, show the
// captions and, for the word under the pointer (or clicked), the overlay of where the model looked.
// Plain JavaScript, no build step, no request to anything but this server.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  let original = null; // object URL of the uploaded image
  let maps = [];
  let chosen = -1;

  fetch("/v1/model").then((r) => r.json()).then((m) => {
    const grid = m.encoder ? m.encoder.gridRows + " × " + m.encoder.gridCols + " grid" : "";
    $("model").textContent = m.decoder_type + (m.members > 1 ? " ensemble of " + m.members : "") + ", " +
      m.vocabulary_size + " words" + (m.attends ? ", attention over a " + grid : ", no attention");
  }).catch(() => { $("model").textContent = "model description unavailable"; });

  function showError(message) {
    $("error").textContent = message;
    $("error").hidden = false;
  }

  function show(index) {
    chosen = index;
    document.querySelectorAll("#caption .word").forEach((w, i) => w.classList.toggle("chosen", i === index));
    $("map").src = index >= 0 && maps[index] ? maps[index] : original;
  }

  function render(answer) {
    const best = answer.captions[0];
    maps = answer.maps || [];
    const caption = $("caption");
    caption.textContent = "";
    best.words.forEach((word, i) => {
      const span = document.createElement("span");
      span.className = "word";
      span.textContent = word;
      span.dataset.index = String(i);
      span.addEventListener("mouseenter", () => show(i));
      span.addEventListener("click", () => show(chosen === i ? -1 : i));
      caption.appendChild(span);
      caption.appendChild(document.createTextNode(" "));
    });
    caption.addEventListener("mouseleave", () => show(chosen));
    const list = $("nbest-list");
    list.textContent = "";
    answer.captions.forEach((c) => {
      const item = document.createElement("li");
      item.textContent = c.text;
      const lp = document.createElement("span");
      lp.className = "lp";
      lp.textContent = "log p = " + c.log_prob.toFixed(3);
      item.appendChild(lp);
      list.appendChild(item);
    });
    $("timing").textContent = "answered in " + answer.milliseconds + " ms";
    $("output").hidden = false;
    chosen = -1;
    $("map").src = original;
    document.body.dataset.state = "captioned";
  }

  function send(file) {
    $("error").hidden = true;
    document.body.dataset.state = "captioning";
    if (original) URL.revokeObjectURL(original);
    original = URL.createObjectURL(file);
    const form = new FormData();
    form.append("image", file);
    const query = "?attention=true&beam=" + encodeURIComponent($("beam").value) +
      "&n_best=" + encodeURIComponent($("nbest").value) + "&max_length=" + encodeURIComponent($("maxlen").value);
    fetch("/v1/captions" + query, { method: "POST", body: form })
      .then((r) => r.text().then((text) => {
        let body;
        try { body = JSON.parse(text); } catch (e) { body = { error: "unreadable answer (" + text.length + " bytes): " + text.slice(0, 80) }; }
        return { ok: r.ok, status: r.status, body };
      }))
      .then(({ ok, status, body }) => {
        if (!ok) throw new Error(status + ": " + (body.error || "error"));
        render(body);
      })
      .catch((e) => { document.body.dataset.state = "error"; showError(e.message); });
  }

  $("file").addEventListener("change", (e) => { if (e.target.files.length) send(e.target.files[0]); });
  const drop = $("drop");
  ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
  drop.addEventListener("drop", (e) => { if (e.dataTransfer.files.length) send(e.dataTransfer.files[0]); });
})();
