// The newsdex page. Every text shown comes from articles, which are untrusted: the DOM is
// built with createElement and text nodes only (never innerHTML), and links are built
// with URLSearchParams, so no article text can become markup, script or a URL scheme.
"use strict";

const PAGE_SIZE = 10;
const SPEAKERS_SHOWN = 30;

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

/** A link to a state of this page: always a relative `?…` URL, never a scheme. */
function link(params, ...children) {
  const a = el("a", { href: "/?" + new URLSearchParams(params).toString() }, ...children);
  a.addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    go(params);
  });
  return a;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * `text` with the byte ranges `ranges` (UTF-8 offsets, as the API gives them) wrapped in
 * `wrap(piece, k)` (k: the range's index), the rest as text nodes. Ranges must be sorted;
 * one that overlaps the one before is left unwrapped.
 */
function spans(text, ranges, wrap) {
  const bytes = encoder.encode(text);
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [k, [start, end]] of ranges.entries()) {
    if (start < at || end > bytes.length || end <= start) continue;
    out.append(decoder.decode(bytes.subarray(at, start)));
    out.append(wrap(decoder.decode(bytes.subarray(start, end)), k));
    at = end;
  }
  out.append(decoder.decode(bytes.subarray(at)));
  return out;
}

const marked = (text, ranges) => spans(text, ranges || [], (t) => el("mark", {}, t));

/** The page's state, all of it in the URL so that any view can be bookmarked. */
function state() {
  const p = new URLSearchParams(location.search);
  return {
    tab: p.get("tab") || (p.get("id") ? "article" : "search"),
    q: p.get("q") || "",
    speaker: p.get("speaker") || "",
    id: p.get("id") || "",
    offset: Math.max(0, parseInt(p.get("offset") || "0", 10) || 0),
  };
}

function go(params) {
  const clean = {};
  for (const [k, v] of Object.entries(params)) if (v) clean[k] = String(v);
  history.pushState(null, "", "/?" + new URLSearchParams(clean).toString());
  render();
}

async function api(path, params) {
  const clean = {};
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null) clean[k] = v;
  const query = new URLSearchParams(clean).toString();
  const r = await fetch(path + (query ? "?" + query : ""), { headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => ({ error: "the server sent no JSON (" + r.status + ")" }));
  if (!r.ok) throw new Error(body.error || "HTTP " + r.status);
  return body;
}

function status(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

function meta(...parts) {
  return el("div", { class: "meta" }, parts.filter(Boolean).join(" · "));
}

function pager(st, data) {
  const nav = $("pager");
  nav.replaceChildren();
  const base = { tab: st.tab, q: st.q, speaker: st.speaker };
  if (st.offset > 0) {
    nav.append(link({ ...base, offset: Math.max(0, st.offset - PAGE_SIZE) }, "← Previous"));
  }
  if (st.offset + data.returned < data.total) {
    nav.append(link({ ...base, offset: st.offset + PAGE_SIZE }, "Next →"));
  }
}

function summary(st, data, noun) {
  if (data.returned === 0) return data.total ? "no results on this page" : "no " + noun + " match";
  const first = st.offset + 1;
  return "results " + first + "–" + (st.offset + data.returned) + " of " + data.total + " " + noun;
}

function quoteBlock(q) {
  return el("blockquote", {}, marked(q.quote, q.highlights),
    el("div", { class: "who" }, "— " + (q.speaker || "unknown speaker")));
}

function articleHit(h) {
  return el("article", { class: "hit" },
    el("h2", {}, link({ tab: "article", id: h.path }, h.title || h.path)),
    meta(h.category, h.date, h.source),
    el("p", {}, marked(h.snippet, h.highlights)),
    h.quote ? quoteBlock(h.quote) : null);
}

async function showSearch(st) {
  if (!st.q) return status("Type words to search the articles.");
  const data = await api("/api/search", { q: st.q, n: PAGE_SIZE, offset: st.offset });
  $("results").replaceChildren(...data.hits.map(articleHit));
  status(summary(st, data, "articles") + warnings(data));
  pager(st, data);
}

function warnings(data) {
  return data.warnings.length ? " (" + data.warnings.join("; ") + ")" : "";
}

function quoteCard(h) {
  return el("article", { class: "card" },
    el("blockquote", {}, marked(h.quote, h.highlights)),
    el("div", { class: "speaker" },
      link({ tab: "quotes", speaker: h.speaker || "" }, h.speaker || "unknown speaker"),
      h.description ? ", " + h.description : ""),
    el("div", { class: "meta" }, "in ", link({ tab: "article", id: h.path }, h.title || h.path)),
    h.context ? el("p", { class: "meta" }, h.context) : null);
}

async function showQuotes(st) {
  if (!st.q && !st.speaker) return status("Type words to find in quotes, or a speaker.");
  const data = await api("/api/quotes", {
    q: st.q, speaker: st.speaker, context: "true", n: PAGE_SIZE, offset: st.offset,
  });
  $("results").replaceChildren(...data.hits.map(quoteCard));
  status(summary(st, data, "quotes") + warnings(data));
  pager(st, data);
}

async function showSpeakers(st) {
  const data = await api("/api/speakers", { q: st.q, n: SPEAKERS_SHOWN });
  const rows = data.hits.map((s) => el("li", {},
    link({ tab: "quotes", speaker: s.speaker, q: st.q }, s.speaker),
    " — " + s.quotes + " quotes in " + s.articles + " articles"));
  $("results").replaceChildren(el("ol", { class: "speakers" }, ...rows));
  status(data.total + " speakers quoted" + (st.q ? " on this topic" : "") + warnings(data));
}

/** The body with each quote marked and its speaker shown after it. */
function markedBody(a) {
  const inBody = a.quotes.filter((q) => q.body_start !== null);
  const ranges = inBody.map((q) => [q.body_start, q.body_end]);
  const body = spans(a.body, ranges, (t, k) => {
    const q = inBody[k];
    return el("span", { class: "q", "data-speaker": q.speaker || "" }, t,
      el("span", { class: "who" }, "[" + (q.speaker || "unknown speaker") + "]"));
  });
  return el("div", { class: "body" }, body);
}

async function showArticle(st) {
  const a = await api("/api/articles/" + encodeURIComponent(st.id));
  document.title = a.title + " — newsdex";
  const others = a.quotes.filter((q) => q.body_start === null);
  $("results").replaceChildren(el("article", { id: "article" },
    el("h1", {}, a.title || a.path),
    meta(a.category, a.date, a.source, a.quotes.length + " quotes"),
    markedBody(a),
    others.length ? el("h2", {}, "Other quotes") : null,
    ...others.map(quoteBlock)));
  status(a.path);
}

const VIEWS = { search: showSearch, quotes: showQuotes, speakers: showSpeakers, article: showArticle };

async function render() {
  const st = state();
  const tab = VIEWS[st.tab] ? st.tab : "search";
  $("tab").value = tab === "article" ? "search" : tab;
  $("q").value = st.q;
  $("speaker").value = st.speaker;
  $("speaker-box").hidden = tab !== "quotes";
  $("q").placeholder = tab === "quotes" ? "Words in quotes" : tab === "speakers"
    ? "Topic (optional)" : "Search articles (press / to focus)";
  for (const t of ["search", "quotes", "speakers"]) {
    const a = $("tab-" + t);
    if (t === tab) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  if (tab !== "article") document.title = "newsdex";
  $("results").replaceChildren();
  $("pager").replaceChildren();
  status("Loading…");
  try {
    await VIEWS[tab](st);
  } catch (e) {
    status(e.message, true);
  }
}

function init() {
  $("form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    go({ tab: $("tab").value, q: $("q").value.trim(), speaker: $("speaker").value.trim() });
  });
  for (const t of ["search", "quotes", "speakers"]) {
    $("tab-" + t).addEventListener("click", (ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      go({ tab: t, q: $("q").value.trim() });
    });
  }
  document.addEventListener("keydown", (ev) => {
    const typing = ev.target instanceof HTMLInputElement;
    if (ev.key === "/" && !typing) {
      ev.preventDefault();
      $("q").focus();
    }
  });
  window.addEventListener("popstate", render);
  render();
}

init();
