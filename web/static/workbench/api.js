// The workbench's calls to the Stridewise API: JSON in and out, the API key when one is needed.
"use strict";

const Api = (() => {
  const KEY = "stridewise.apiKey";
  let waiting = null; // a promise resolved when the user has entered a key

  function key() {
    return sessionStorage.getItem(KEY) || "";
  }

  function askForKey(message) {
    const form = document.getElementById("key-form");
    const input = document.getElementById("api-key");
    document.getElementById("key-error").textContent = message || "";
    form.hidden = false;
    input.focus();
    if (!waiting) {
      waiting = new Promise((resolve) => {
        form.addEventListener("submit", function submit(event) {
          event.preventDefault();
          sessionStorage.setItem(KEY, input.value.trim());
          form.removeEventListener("submit", submit);
          form.hidden = true;
          waiting = null;
          resolve();
        });
      });
    }
    return waiting;
  }

  // fetch with the key; a 401 asks for a key and tries again. Returns the Response.
  async function send(method, path, body, accept) {
    for (;;) {
      const headers = { Accept: accept || "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      if (key()) headers.Authorization = "Bearer " + key();
      const response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status !== 401) return response;
      await askForKey(key() ? "That key was not accepted; try another." : "");
    }
  }

  // JSON of a response: {ok, status, body}; a problem body when not ok.
  async function json(method, path, body) {
    const response = await send(method, path, body);
    let parsed = null;
    try {
      parsed = await response.json();
    } catch (err) {
      parsed = { title: "Not JSON", detail: String(err) };
    }
    return { ok: response.ok, status: response.status, body: parsed };
  }

  return { send, json };
})();
