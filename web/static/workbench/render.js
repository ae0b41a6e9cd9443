// Rendering of the workbench's results: the week grid, the rule explanations, the diff.
// Everything is built with DOM calls (no innerHTML), so rule text can never become markup.
"use strict";

const Render = (() => {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function replace(id, ...children) {
    const target = document.getElementById(id);
    target.replaceChildren(...children.flat().filter((c) => c));
    return target;
  }

  const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const RUN_NAMES = {
    intervals: "Intervals", tempo: "Tempo", long_run: "Long run", race: "Race", hills: "Hills",
  };

  function addDays(iso, days) {
    const date = new Date(iso + "T00:00:00Z");
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  function weekdayOf(iso) {
    return WEEKDAYS[(new Date(iso + "T00:00:00Z").getUTCDay() + 6) % 7];
  }

  function ruleChip(id, onRule) {
    return el("button", { type: "button", class: "chip", "data-rule": id,
                          onclick: () => onRule(id) }, id);
  }

  // The plan as a grid: one column per day (rest days narrow), one row per week.
  function week(plan, context, onRule) {
    const byOffset = new Map(plan.sessions.map((s) => [s.day_offset, s]));
    const runs = new Map();
    for (const run of context.key_run_sessions || []) {
      if (!runs.has(run.day_offset)) runs.set(run.day_offset, []);
      runs.get(run.day_offset).push(run.type);
    }
    const race = context.race && Number.isInteger(context.race.days_until)
      ? context.race.days_until : null;
    const rows = [];
    for (let start = 0; start < plan.horizon_days; start += 7) {
      const days = [];
      const widths = [];
      for (let offset = start; offset < Math.min(start + 7, plan.horizon_days); offset++) {
        const session = byOffset.get(offset);
        widths.push(session ? "minmax(150px, 3fr)" : "minmax(56px, 1fr)");
        days.push(day(plan, offset, session, runs.get(offset) || [], race === offset, onRule));
      }
      if (plan.horizon_days > 7) {
        const last = addDays(plan.start_date, Math.min(start + 6, plan.horizon_days - 1));
        rows.push(el("h3", { class: "week-label" },
          `Week ${start / 7 + 1} · ${addDays(plan.start_date, start)} to ${last}`));
      }
      rows.push(el("div", { class: "week-row", role: "row",
                            style: `grid-template-columns: ${widths.join(" ")}` }, days));
    }
    return el("div", { class: "grid", role: "grid", "aria-label": "Sessions by day" }, rows);
  }

  function day(plan, offset, session, runs, isRace, onRule) {
    const date = addDays(plan.start_date, offset);
    const marks = [];
    if (isRace) marks.push(el("span", { class: "mark race" }, "Race"));
    for (const type of runs) marks.push(el("span", { class: "mark run" }, RUN_NAMES[type] || type));
    const head = el("div", { class: "day-head" },
      el("strong", {}, weekdayOf(date)), " ", el("span", { class: "muted date" }, date.slice(5)));
    const cell = el("div", { class: "day" + (session ? " has-session" : " rest"), role: "gridcell",
                             "data-date": date }, head, marks.length ? el("div", { class: "marks" }, marks) : null);
    if (session) cell.append(sessionCard(session, onRule));
    return cell;
  }

  function sessionCard(session, onRule) {
    const when = session.after_run
      ? el("span", { class: "mark after" }, `after the run +${session.hours_from_run} h`) : null;
    return el("div", { class: "session", "aria-label": `Session ${session.date}` },
      el("div", { class: "focus" }, session.focus),
      el("div", { class: "meta" }, `${session.duration_min} min `, when),
      el("ol", { class: "exercises" }, session.exercises.map((item) =>
        el("li", { class: "exercise", "data-id": item.id },
          el("span", { class: "name" }, item.name),
          el("span", { class: "dose" }, item.dose),
          el("span", { class: "because" }, item.because.map((id) => ruleChip(id, onRule)))))));
  }

  function summary(result, context) {
    const plan = result.recommendation;
    const same = result.ruleset.version === result.active_version;
    return [
      el("span", {}, `${context.athlete_id || "athlete"} · phase `, el("strong", {}, plan.phase),
         ` · from ${plan.start_date} for ${plan.horizon_days} days · ${plan.sessions.length} session(s)`),
      el("span", { class: "badge " + (same ? "same" : "draft") },
         same ? "active rules" : "draft rules"),
    ];
  }

  function notes(plan) {
    const lists = [];
    for (const [title, key] of [["Warnings", "warnings"], ["Notes", "notes"]]) {
      if (plan[key] && plan[key].length) {
        lists.push(el("h3", {}, title), el("ul", { class: key }, plan[key].map((t) => el("li", {}, t))));
      }
    }
    return lists;
  }

  function ruleList(rules, filter, current, onRule) {
    const needle = (filter || "").toLowerCase();
    return rules
      .filter((r) => !needle || r.rule.includes(needle) || r.file.includes(needle))
      .map((r) => el("li", {},
        el("button", { type: "button", class: "rule-item" + (r.fired ? " fired" : ""),
                       "aria-pressed": r.rule === current ? "true" : "false",
                       "data-rule": r.rule, onclick: () => onRule(r.rule) },
          el("span", { class: "dot", "aria-hidden": "true" }), el("span", { class: "id" }, r.rule),
          el("span", { class: "state muted" }, !r.fired ? "not fired"
            : (r.why_not || {}).reason === "overridden" ? "overridden" : "fired"))));
  }

  function valueTable(read) {
    const entries = Object.entries(read || {});
    if (!entries.length) return el("p", { class: "muted" }, "reads no values");
    return el("table", { class: "values" },
      el("thead", {}, el("tr", {}, el("th", {}, "path"), el("th", {}, "value"))),
      el("tbody", {}, entries.map(([path, value]) =>
        el("tr", {}, el("td", {}, el("code", {}, path)), el("td", {}, el("code", {}, JSON.stringify(value)))))));
  }

  // Directives as short JSON lines, without the null bounds the schema fills in.
  function compact(value) {
    const strip = (v) => {
      if (Array.isArray(v)) return v.map(strip);
      if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null)
          .map(([k, x]) => [k, strip(x)]));
      }
      return v;
    };
    return Object.entries(strip(value)).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("\n");
  }

  function ruleDetail(rule, onJump, onRule) {
    const parts = [
      el("h3", {}, rule.rule, " ", el("span", { class: "badge " + (rule.fired ? "same" : "draft") },
        !rule.fired ? "did not fire"
          : (rule.why_not || {}).reason === "overridden" ? "fired, partly overridden" : "fired")),
      el("p", {}, el("button", { type: "button", class: "link", onclick: () => onJump(rule) },
                     `${rule.file}:${rule.line}`), ` · ruleset ${rule.ruleset} · priority ${rule.priority}`),
      rule.description ? el("p", {}, rule.description) : null,
      rule.source ? el("p", { class: "muted" }, "Source: ", rule.source) : null,
      el("h4", {}, "when"), el("pre", {}, rule.when),
    ];
    const why = rule.why_not || {};
    if (rule.fired) {
      parts.push(el("h4", {}, "Values it read"), valueTable(rule.read));
      if (why.reason === "overridden") {
        parts.push(el("h4", {}, "Fired, but overridden"),
          el("ul", { class: "why-not" }, why.overridden.map((o) =>
            el("li", {}, el("code", {}, o.directive), " went to ",
               o.by.map((id) => ruleChip(id, onRule)), ` (${JSON.stringify(o.value)})`))));
      }
    } else {
      parts.push(el("h4", {}, "Why it did not fire"),
        el("p", { class: "why-message" }, why.message || ""),
        el("p", {}, el("code", {}, why.clause || rule.when), " is false with:"),
        valueTable(why.read));
      if (why.changed_by && why.changed_by.length) {
        parts.push(el("ul", { class: "why-not" }, why.changed_by.map((c) =>
          el("li", {}, c.message, " ", (c.by || []).map((id) => ruleChip(id, onRule))))));
      }
    }
    const then = Object.assign({}, rule.then, Object.keys(rule.set || {}).length ? { set: rule.set } : {});
    parts.push(el("h4", {}, "then"), el("pre", {}, compact(then)));
    return parts;
  }

  function diagnostics(list, currentFile, onJump) {
    if (!list.length) return [el("p", { class: "ok" }, "No problems in the draft.")];
    return [el("ul", {}, list.map((d) =>
      el("li", { class: d.severity },
        el("button", { type: "button", class: "link", onclick: () => onJump(d) },
           `${d.file}:${d.line}:${d.col}`), ` ${d.severity}: ${d.message}`)))];
  }

  function describe(value) {
    if (Array.isArray(value)) return value.map(describe).join(", ");
    if (value && typeof value === "object") {
      if (value.id || value.exercise_id || value.rule) {
        const name = value.id || value.exercise_id || value.rule;
        const rest = Object.entries(value).filter(([k]) => !["id", "exercise_id", "rule"].includes(k));
        return rest.length ? `${name} (${rest.map(([k, v]) => `${k} ${describe(v)}`).join(", ")})` : name;
      }
      return JSON.stringify(value);
    }
    return String(value);
  }

  // The draft against the active rules over the sample corpus: changed athletes first.
  function diff(result) {
    const athletes = result.athletes || [];
    const changed = athletes.filter((a) => a.changed);
    const versions = result.summary && result.summary.active && result.summary.draft
      ? ` active ${result.summary.active.slice(0, 19)} → draft ${result.summary.draft.slice(0, 19)}`
      : result.summary ? " " + describe(result.summary) : "";
    const head = el("p", { class: "diff-summary" },
      `${changed.length} of ${athletes.length} sample athletes change.`,
      el("span", { class: "muted" }, versions));
    if (!changed.length) return [head];
    const rows = changed.map((a) => {
      const details = Object.entries(a)
        .filter(([k, v]) => !["athlete_id", "changed", "index"].includes(k) &&
                            v !== null && v !== false && !(Array.isArray(v) && !v.length) &&
                            !(typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length))
        .map(([k, v]) => {
          const long = Array.isArray(v) && v.some((x) => describe(x).length > 60);
          return el("li", {}, el("strong", {}, k.replace(/_/g, " ")), ": ",
                    long ? el("ul", { class: "items" }, v.map((x) => el("li", {}, describe(x))))
                         : describe(v));
        });
      return el("tr", {}, el("td", {}, el("code", {}, a.athlete_id || `#${a.index}`)),
                el("td", {}, el("ul", { class: "changes" }, details)));
    });
    return [head, el("table", { class: "diff" },
      el("thead", {}, el("tr", {}, el("th", {}, "athlete"), el("th", {}, "what changes"))),
      el("tbody", {}, rows))];
  }

  return { el, replace, week, summary, notes, ruleList, ruleDetail, diagnostics, diff };
})();
