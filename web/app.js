// What both pages share: the API token, reads from the API, the live event stream, formatting.
//
// A browser cannot put a header on an EventSource, so the token travels as `?access_token=` there;
// fetch() sends it as `Authorization: Bearer`. It comes in the URL fragment (`/#token=...`: a
// fragment is never sent to a server nor kept in its logs) and is kept for this tab only
// (sessionStorage), then taken out of the address bar. A server without tokens needs none.
"use strict";

const Switchboard = (() => {
  const kTokenKey = "switchboard.token";

  function token() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.has("token")) {
      sessionStorage.setItem(kTokenKey, fragment.get("token"));
      history.replaceState(null, "", location.pathname + location.search);
    }
    return sessionStorage.getItem(kTokenKey) || "";
  }

  function problem(sentence) {
    const p = document.getElementById("problem");
    p.textContent = sentence;
    p.hidden = !sentence;
  }

  // The JSON document at an API path; throws with the server's sentence.
  async function read(path) {
    const t = token();
    const response = await fetch(path, { headers: t ? { Authorization: "Bearer " + t } : {} });
    const body = await response.json().catch(() => ({}));
    if (response.status === 401) {
      throw new Error("This server wants an API token: open this page as /#token=YOUR_TOKEN.");
    }
    if (!response.ok) throw new Error(body.error || path + " answered " + response.status);
    return body;
  }

  // Calls onEvent(type, event) for each event of the log from now on. The server names each
  // message after its event type (`event: ticket.created`), and EventSource's onmessage only sees
  // unnamed ones, so there is a listener per type. onOpen runs on each (re)connection: what
  // happened while away is not replayed from before the first one, so a page re-reads then.
  function follow(types, onEvent, onOpen) {
    const t = token();
    const source = new EventSource("/v1/events" + (t ? "?access_token=" + encodeURIComponent(t) : ""));
    const live = document.getElementById("live");
    const show = (state) => {
      live.dataset.state = state;
      live.textContent = state;
    };
    source.onopen = () => {
      show("live");
      onOpen();
    };
    source.onerror = () => show(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    for (const type of types) {
      source.addEventListener(type, (message) => onEvent(type, JSON.parse(message.data)));
    }
    return source;
  }

  // Runs task at most once per interval however often it is asked for, never two at once, and
  // once more after the last ask: a burst of events costs one or two reads, not one each.
  function throttle(task, interval_ms) {
    let timer = null, running = false, again = false;
    const run = async () => {
      timer = null;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        await task();
      } finally {
        running = false;
        if (again) {
          again = false;
          ask();
        }
      }
    };
    const ask = () => {
      if (timer === null) timer = setTimeout(run, interval_ms);
    };
    return ask;
  }

  // 95 -> "1m 35s".
  function duration(seconds) {
    if (typeof seconds !== "number") return "–";
    if (seconds < 60) return seconds + "s";
    if (seconds < 3600) return Math.floor(seconds / 60) + "m " + String(seconds % 60).padStart(2, "0") + "s";
    return Math.floor(seconds / 3600) + "h " + String(Math.floor((seconds % 3600) / 60)).padStart(2, "0") + "m";
  }

  // "2026-11-23T09:00:00Z" -> "2026-11-23 09:00:00" (UTC, as the engine's clock).
  function when(rfc3339) {
    return rfc3339 ? rfc3339.replace("T", " ").replace(/(\.\d+)?Z$/, "") : "";
  }

  // <tag class=...>text</tag>, with attributes and children; text is never parsed as HTML.
  function element(tag, attributes = {}, ...children) {
    const e = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
    for (const child of children) e.append(child);
    return e;
  }

  // kEventTypes: every event type of the schema, from /event_types.js (generated at build time).
  return { token, problem, read, follow, throttle, duration, when, element, kEventTypes };
})();
