// The newsdex page. Every text shown comes from articles, which are untrusted: the DOM is
// built with createElement and text nodes only (never innerHTML), and links are built
// with URLSearchParams, so no article text can become markup, script or a URL scheme.
"use strict";

const PAGE_SIZE = 10;
const SPEAKERS_SHOWN = 30;
/** Sources listed under the results; the rest are summed in one line. */
const SOURCES_SHOWN = 12;
/** The histogram's drawing box in CSS pixels: as wide as the page's column (so that its
 * labels keep their size on a phone), this wide when the column cannot be measured. */
const CHART_WIDTH = 600;
const CHART_HEIGHT = 110;
const CHART_LABEL_HEIGHT = 16;
/** The share of its slot a bar fills; the rest is the gap between bars. */
const BAR_FILL = 0.8;
/** The widest slot, so that a few months do not make a few slabs. */
const MAX_SLOT = 48;
/** Room above the bars for the count of the tallest, and the slot width that has room
 * for a count above each bar. */
const CHART_TOP = 14;
const MIN_SLOT_FOR_COUNT = 24;
/** The narrowest chart that has room for both the first and the last period's label. */
const MIN_AXIS_SPAN = 130;
const SVG_NS = "http://www.w3.org/2000/svg";
/** The filters and order kept in every link, so paging and tabs keep them. */
const KEPT = ["since", "until", "sort"];

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

/** An SVG element; attributes as `el`, strings become text nodes. */
function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
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
    since: p.get("since") || "",
    until: p.get("until") || "",
    sort: p.get("sort") || "",
  };
}

/** The filters of `st` that go into every link and request. */
function kept(st) {
  const out = {};
  for (const k of KEPT) if (st[k]) out[k] = st[k];
  return out;
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
  const base = { tab: st.tab, q: st.q, speaker: st.speaker, ...kept(st) };
  if (st.offset > 0) {
    nav.append(link({ ...base, offset: Math.max(0, st.offset - PAGE_SIZE) }, "← Previous"));
  }
  // A short page is the last: `total` also counts the copies folded into hits.
  if (data.returned === PAGE_SIZE && st.offset + data.returned < data.total) {
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
    meta(h.date, h.source, h.author, h.category),
    h.duplicates ? el("p", { class: "meta", title: h.also_in.join("\n") },
      "also in " + h.duplicates + (h.duplicates === 1 ? " file" : " files")) : null,
    el("p", {}, marked(h.snippet, h.highlights)),
    h.quote ? quoteBlock(h.quote) : null);
}

async function showSearch(st) {
  if (!st.q) return status("Type words to search the articles.");
  const data = await api("/api/search", {
    q: st.q, n: PAGE_SIZE, offset: st.offset, ...kept(st), facet: "source", histogram: "month",
  });
  $("results").replaceChildren(...data.hits.map(articleHit));
  showCounts(st, data, "articles");
  status(summary(st, data, "articles") + warnings(data));
  suggestion(st, data);
  pager(st, data);
}

/** The facet and histogram records of an answer, drawn above and below the results. */
function showCounts(st, data, noun) {
  const box = $("counts");
  const hist = data.histogram;
  const sources = data.facets.find((f) => f.facet === "source");
  const parts = [];
  if (st.since || st.until) {
    parts.push(el("p", { class: "meta", id: "range" },
      "Published " + (st.since ? "from " + st.since + " " : "") + (st.until ? "to " + st.until : "") + " · ",
      link({ tab: st.tab, q: st.q, speaker: st.speaker, sort: st.sort }, "all dates")));
  }
  if (hist && hist.bins.length > 0) parts.push(histogramChart(st, hist, noun));
  if (sources && sources.values.length > 0) parts.push(sourceList(st, sources, noun));
  box.replaceChildren(...parts);
}

/** A link's click narrows this search to `params` (offset back to the first page). */
function narrowTo(st, params) {
  return { tab: st.tab, q: st.q, speaker: st.speaker, ...kept(st), ...params };
}

/** Matches per month as bars; each bar links to the search narrowed to its month. */
function histogramChart(st, hist, noun) {
  const n = hist.bins.length;
  const max = Math.max(1, ...hist.bins.map((b) => b.count));
  const width = $("counts").clientWidth || CHART_WIDTH;
  const slot = Math.min(MAX_SLOT, width / n);
  const plot = CHART_HEIGHT - CHART_LABEL_HEIGHT;
  const room = plot - CHART_TOP;
  const chart = svg("svg", {
    class: "chart", id: "histogram", viewBox: "0 0 " + width + " " + CHART_HEIGHT,
    role: "group", "aria-label": noun + " per " + hist.period,
  });
  hist.bins.forEach((b, i) => {
    const h = (b.count / max) * room;
    const label = b.value + ": " + b.count + " " + noun;
    const params = narrowTo(st, { since: b.value, until: b.value });
    const bar = svg("a", {
      class: "bar", href: "/?" + new URLSearchParams(params).toString(),
      "data-period": b.value, "data-count": b.count, "aria-label": label,
    }, svg("title", {}, label),
    // The whole slot takes the click, so that short bars are easy to hit.
    svg("rect", { class: "slot", x: i * slot, y: 0, width: slot, height: plot }),
    svg("rect", { class: "fill", x: i * slot + slot * (1 - BAR_FILL) / 2, y: plot - h,
      width: slot * BAR_FILL, height: h }));
    if (b.count === 0) bar.setAttribute("tabindex", "-1");
    if (b.count > 0 && (slot >= MIN_SLOT_FOR_COUNT || b.count === max)) {
      bar.append(svg("text", { class: "axis count", x: i * slot + slot / 2, y: plot - h - 3 },
        String(b.count)));
    }
    bar.addEventListener("click", (ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      go(params);
    });
    chart.append(bar);
  });
  chart.append(svg("line", { class: "baseline", x1: 0, y1: plot, x2: n * slot, y2: plot }));
  const first = hist.bins[0].value;
  const last = hist.bins[n - 1].value;
  chart.append(svg("text", { x: 0, y: CHART_HEIGHT - 2, class: "axis" }, first));
  if (n > 1 && n * slot >= MIN_AXIS_SPAN) {
    chart.append(svg("text", { x: n * slot, y: CHART_HEIGHT - 2, class: "axis end" }, last));
  }
  const undated = hist.missing ? " (" + hist.missing + " without a date)" : "";
  return el("figure", { class: "counts" },
    el("figcaption", {}, "Matching " + noun + " per " + hist.period + ", " + first + " to " + last + undated),
    chart);
}

/** Matches per source, most first, each a link that adds the source to the query. */
function sourceList(st, facet, noun) {
  const shown = facet.values.slice(0, SOURCES_SHOWN);
  const max = Math.max(1, ...shown.map((v) => v.count));
  const rows = shown.map((v) => {
    // The name goes in as a phrase; its own quotes would end the phrase early.
    const q = (st.q + ' source:"' + v.value.replace(/"/g, " ") + '"').trim();
    const bar = svg("svg", { class: "facet-bar", viewBox: "0 0 100 10", preserveAspectRatio: "none",
      "aria-hidden": "true" }, svg("rect", { x: 0, y: 0, width: (v.count / max) * 100, height: 10 }));
    return el("li", {}, link(narrowTo(st, { q }), v.value), bar, el("span", { class: "count" }, String(v.count)));
  });
  const rest = facet.values.slice(SOURCES_SHOWN).reduce((sum, v) => sum + v.count, 0);
  const notes = [rest ? rest + " in " + (facet.values.length - SOURCES_SHOWN) + " more sources" : "",
    facet.missing ? facet.missing + " without a source" : ""].filter(Boolean).join(", ");
  return el("figure", { class: "counts" },
    el("figcaption", {}, "Matching " + noun + " per source" + (notes ? " (" + notes + ")" : "")),
    el("ol", { class: "facet", id: "sources" }, ...rows));
}

/** After "no … match": the spelling the index suggests, as a link that searches it. */
function suggestion(st, data) {
  if (!data.suggestion) return;
  $("status").append(" — did you mean ",
    link({ tab: st.tab, q: data.suggestion, speaker: st.speaker, ...kept(st) }, data.suggestion),
    "?");
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
    el("div", { class: "meta" }, "in ", link({ tab: "article", id: h.path }, h.title || h.path),
      [h.date, h.source].filter(Boolean).map((m) => " · " + m).join("")),
    h.context ? el("p", { class: "meta" }, h.context) : null);
}

async function showQuotes(st) {
  if (!st.q && !st.speaker) return status("Type words to find in quotes, or a speaker.");
  const data = await api("/api/quotes", {
    q: st.q, speaker: st.speaker, context: "true", n: PAGE_SIZE, offset: st.offset,
    ...kept(st), facet: "source", histogram: "month",
  });
  $("results").replaceChildren(...data.hits.map(quoteCard));
  showCounts(st, data, "quotes");
  status(summary(st, data, "quotes") + warnings(data));
  suggestion(st, data);
  pager(st, data);
}

async function showSpeakers(st) {
  const data = await api("/api/speakers", {
    q: st.q, n: SPEAKERS_SHOWN, since: st.since, until: st.until,
  });
  const rows = data.hits.map((s) => el("li", {},
    link({ tab: "quotes", speaker: s.speaker, q: st.q, ...kept(st) }, s.speaker),
    " — " + s.quotes + " quotes in " + s.articles + " articles"));
  $("results").replaceChildren(el("ol", { class: "speakers" }, ...rows));
  status(data.total + " speakers quoted" + (st.q ? " on this topic" : "") + warnings(data));
  suggestion(st, data);
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
    meta(a.date, a.source, a.author, a.category, a.quotes.length + " quotes"),
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
  $("counts").replaceChildren();
  $("pager").replaceChildren();
  $("since").value = st.since;
  $("until").value = st.until;
  $("sort").value = st.sort;
  $("filters").hidden = tab === "article";
  $("sort-box").hidden = tab === "speakers";
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
    go({
      tab: $("tab").value, q: $("q").value.trim(), speaker: $("speaker").value.trim(),
      since: $("since").value.trim(), until: $("until").value.trim(), sort: $("sort").value,
    });
  });
  for (const t of ["search", "quotes", "speakers"]) {
    $("tab-" + t).addEventListener("click", (ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      go({ tab: t, q: $("q").value.trim(), ...kept(state()) });
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
