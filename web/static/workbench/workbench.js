// The workbench page: draft rule files and an athlete context in, the week and its reasons out.
// Drafts live in this page only; the API is asked to validate and plan, never to activate.
"use strict";

(() => {
  const { el, replace } = Render;
  const DEBOUNCE_MS = 350;
  const state = {
    active: {}, // file name -> active text
    draft: {}, // file name -> draft text
    file: null, // the file in the editor
    samples: [],
    diagnostics: [],
    result: null, // the last workbench:run answer
    context: null, // the last context that parsed
    rule: null, // the rule shown in the Rules tab
    words: [], // completion words
    runId: 0,
  };

  const ruleEditor = CodeMirror(document.getElementById("rule-editor"), {
    mode: "yaml", lineNumbers: true, lineWrapping: true, indentUnit: 2, tabSize: 2, indentWithTabs: false,
    gutters: ["CodeMirror-lint-markers", "CodeMirror-linenumbers"],
    lint: { getAnnotations: lintAnnotations, lintOnChange: false },
    extraKeys: { Tab: false, "Shift-Tab": false, "Ctrl-Space": "autocomplete" },
    hintOptions: { hint: completions, completeSingle: false },
    screenReaderLabel: "Rule file editor",
  });
  const contextEditor = CodeMirror(document.getElementById("context-editor"), {
    mode: { name: "javascript", json: true }, lineNumbers: true, tabSize: 2,
    extraKeys: { Tab: false, "Shift-Tab": false },
    screenReaderLabel: "Athlete context editor (JSON)",
  });
  window.workbench = { ruleEditor, contextEditor, state }; // for tests and the console

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function setStatus(text, kind) {
    const status = document.getElementById("status");
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  // --- rule files --------------------------------------------------------------------------

  function showFile(name) {
    if (state.file) state.draft[state.file] = ruleEditor.getValue();
    state.file = name;
    document.getElementById("rule-file").value = name;
    ruleEditor.setValue(state.draft[name]);
    ruleEditor.clearHistory();
    markFileState();
  }

  function markFileState() {
    const changed = state.draft[state.file] !== state.active[state.file];
    const badge = document.getElementById("file-state");
    badge.textContent = changed ? "edited" : "as active";
    badge.className = "badge " + (changed ? "draft" : "same");
    for (const option of document.getElementById("rule-file").options) {
      const edited = state.draft[option.value] !== state.active[option.value];
      option.textContent = option.value + (edited ? " (edited)" : "");
    }
  }

  const onRulesChanged = debounce(validate, DEBOUNCE_MS);
  ruleEditor.on("change", () => {
    state.draft[state.file] = ruleEditor.getValue();
    markFileState();
    setStatus("checking the draft…", "busy");
    onRulesChanged();
  });

  async function validate() {
    const answer = await Api.json("POST", "/v1/rulesets:validate", { files: state.draft });
    if (!answer.ok) {
      setStatus(`could not check the draft: ${answer.body.detail || answer.status}`, "error");
      return;
    }
    state.diagnostics = answer.body.diagnostics;
    ruleEditor.performLint();
    replace("diagnostics", Render.diagnostics(state.diagnostics, state.file, jumpTo));
    if (answer.body.valid) run();
    else setStatus(`the draft has ${state.diagnostics.length} problem(s); the week shown is from the last good draft`, "error");
  }

  function lintAnnotations() {
    return state.diagnostics
      .filter((d) => d.file === state.file)
      .map((d) => ({
        from: CodeMirror.Pos(d.line - 1, Math.max(0, d.col - 1)),
        to: CodeMirror.Pos(d.line - 1, Math.max(1, d.col + wordLength(d) - 1)),
        message: d.message, severity: d.severity === "warning" ? "warning" : "error",
      }));
  }

  function wordLength(d) {
    const line = ruleEditor.getLine(d.line - 1) || "";
    const match = /^[\w."'-]+/.exec(line.slice(d.col - 1));
    return match ? match[0].length : 1;
  }

  function jumpTo(where) {
    if (where.file && where.file !== state.file && where.file in state.draft) showFile(where.file);
    const pos = CodeMirror.Pos((where.line || 1) - 1, Math.max(0, (where.col || 1) - 1));
    ruleEditor.focus();
    ruleEditor.setCursor(pos);
    ruleEditor.scrollIntoView(pos, 80);
  }

  function completions(editor) {
    const cursor = editor.getCursor();
    const line = editor.getLine(cursor.line);
    let start = cursor.ch;
    while (start > 0 && /[\w.]/.test(line[start - 1])) start--;
    const prefix = line.slice(start, cursor.ch);
    const list = state.words.filter((w) => w.startsWith(prefix) && w !== prefix).slice(0, 60);
    return { list, from: CodeMirror.Pos(cursor.line, start), to: cursor };
  }

  function collectSchemaWords(schema, into) {
    if (!schema || typeof schema !== "object") return;
    if (Array.isArray(schema)) return schema.forEach((s) => collectSchemaWords(s, into));
    for (const name of Object.keys(schema.properties || {})) into.add(name);
    for (const value of schema.enum || []) if (typeof value === "string") into.add(value);
    for (const value of Object.values(schema)) collectSchemaWords(value, into);
  }

  async function loadCompletion() {
    const words = new Set();
    const schema = await Api.json("GET", "/v1/schemas/rules.json");
    if (schema.ok) collectSchemaWords(schema.body, words);
    for (const text of Object.values(state.active)) { // words the active rules already use
      for (const match of text.matchAll(/[A-Za-z_][\w.]{2,}/g)) words.add(match[0]);
    }
    state.words = [...words].sort();
  }

  // Offer completion by itself once a word has three letters (Ctrl-Space at any time).
  ruleEditor.on("inputRead", (editor, change) => {
    if (!/^[\w.]$/.test(change.text.join(""))) return;
    const hint = completions(editor);
    const typed = editor.getRange(hint.from, hint.to);
    if (typed.length >= 3 && hint.list.length) editor.showHint({ completeSingle: false });
  });

  // --- athlete context ---------------------------------------------------------------------

  function pickSample(index) {
    const sample = state.samples[index];
    if (sample) contextEditor.setValue(JSON.stringify(sample, null, 2));
  }

  const onContextChanged = debounce(() => {
    try {
      state.context = JSON.parse(contextEditor.getValue());
      replace("context-errors");
      run();
    } catch (err) {
      replace("context-errors", el("p", { class: "error" }, `Not valid JSON: ${err.message}`));
    }
  }, DEBOUNCE_MS);
  contextEditor.on("change", onContextChanged);

  // --- the week ----------------------------------------------------------------------------

  async function run() {
    if (!state.context) return;
    const id = ++state.runId;
    setStatus("planning…", "busy");
    const answer = await Api.json("POST", "/v1/workbench:run",
                                  { files: state.draft, context: state.context });
    if (id !== state.runId) return; // a newer run is on its way
    if (!answer.ok) {
      const errors = (answer.body.errors || []).map((e) => `${e.pointer || e.parameter}: ${e.detail}`);
      const detail = [answer.body.detail].concat(errors).join(" ");
      if ((answer.body.errors || []).some((e) => (e.pointer || "").startsWith("/context"))) {
        replace("context-errors", el("p", { class: "error" }, detail));
      }
      setStatus(`no plan: ${detail}`, "error");
      return;
    }
    replace("context-errors");
    state.result = answer.body;
    const plan = answer.body.recommendation;
    replace("week-summary", Render.summary(answer.body, state.context));
    replace("week", Render.week(plan, state.context, showRule));
    replace("week-notes", Render.notes(plan));
    renderRules();
    setStatus(`planned with ${answer.body.ruleset.version.slice(0, 19)}`, "ok");
  }

  // --- rules tab ---------------------------------------------------------------------------

  function renderRules() {
    if (!state.result) return;
    const filter = document.getElementById("rule-filter").value;
    replace("rule-list", Render.ruleList(state.result.rules, filter, state.rule, showRule));
    const rule = state.result.rules.find((r) => r.rule === state.rule);
    if (rule) replace("rule-detail", Render.ruleDetail(rule, jumpTo, showRule));
  }

  function showRule(id) {
    state.rule = id;
    selectTab("tab-rules");
    renderRules();
    const rule = state.result && state.result.rules.find((r) => r.rule === id);
    if (!rule) {
      replace("rule-detail", el("p", {}, `${id} is not a rule of the draft (a planner or constraint decision).`));
    }
    const button = document.querySelector(`#rule-list [data-rule="${CSS.escape(id)}"]`);
    if (button) button.scrollIntoView({ block: "nearest" });
  }

  document.getElementById("rule-filter").addEventListener("input", renderRules);

  // --- diff tab ----------------------------------------------------------------------------

  async function runDiff() {
    replace("diff", el("p", { class: "muted" }, "comparing over the sample athletes…"));
    const answer = await Api.json("POST", "/v1/rulesets:diff", { files: state.draft });
    if (!answer.ok) {
      const diags = (answer.body.diagnostics || []).map((d) => d.text || d.message);
      replace("diff", el("p", { class: "error" }, answer.body.detail || answer.body.title, " ",
                         diags.join("; ")));
      return;
    }
    replace("diff", Render.diff(answer.body));
  }

  document.getElementById("run-diff").addEventListener("click", runDiff);

  // --- calendar ----------------------------------------------------------------------------

  async function downloadIcs() {
    if (!state.context) return;
    const response = await Api.send("POST", "/v1/workbench:run",
                                    { files: state.draft, context: state.context }, "text/calendar");
    if (!response.ok) {
      setStatus(`no calendar: ${(await response.json()).detail}`, "error");
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `stridewise-${state.context.athlete_id || "plan"}.ics` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  document.getElementById("download-ics").addEventListener("click", downloadIcs);

  // --- tabs --------------------------------------------------------------------------------

  const tabs = [...document.querySelectorAll('[role="tab"]')];
  function selectTab(id) {
    for (const tab of tabs) {
      const selected = tab.id === id;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
    }
  }
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab.id));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      selectTab(next.id);
      next.focus();
    });
  }

  // --- start -------------------------------------------------------------------------------

  document.getElementById("rule-file").addEventListener("change", (e) => showFile(e.target.value));
  document.getElementById("reset-file").addEventListener("click", () => {
    state.draft[state.file] = state.active[state.file];
    ruleEditor.setValue(state.active[state.file]);
  });
  document.getElementById("sample").addEventListener("change", (e) => pickSample(e.target.value));

  async function start() {
    const [rules, samples] = await Promise.all([
      Api.json("GET", "/v1/workbench/rules"), Api.json("GET", "/v1/samples"),
    ]);
    if (!rules.ok || !samples.ok) {
      setStatus(`cannot start: ${(rules.ok ? samples : rules).body.detail}`, "error");
      return;
    }
    const version = rules.body.ruleset.version;
    document.getElementById("ruleset").textContent =
      `active ruleset ${rules.body.ruleset.name} ${version.slice(0, 19)} · ${rules.body.files.length} files`;
    const fileSelect = document.getElementById("rule-file");
    for (const file of rules.body.files) {
      state.active[file.name] = file.text;
      state.draft[file.name] = file.text;
      fileSelect.append(el("option", { value: file.name }, file.name));
    }
    state.samples = samples.body.athletes;
    replace("sample", state.samples.map((s, i) => el("option", { value: String(i) }, s.athlete_id || `sample ${i + 1}`)));
    showFile(rules.body.files[0].name);
    pickSample(0);
    loadCompletion();
  }

  start();
})();
