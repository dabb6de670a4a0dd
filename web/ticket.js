// One ticket (GET /v1/tickets/N) and its audit (GET /v1/tickets/N/audit, the events in log order)
// as a timeline; read again when an event about this ticket comes.
"use strict";

(() => {
  const { read, follow, throttle, when, element, problem, kEventTypes } = Switchboard;
  const n = Number(new URLSearchParams(location.search).get("n"));
  const kFields = ["status", "channel", "group", "assignee", "priority", "contact", "tags", "created_at", "solved_at"];
  // Shown apart (or known from the page); the rest of an event is what it says.
  const kEnvelope = new Set(["seq", "type", "at", "ticket", "cmd"]);

  function fields(t) {
    const list = document.getElementById("fields");
    list.replaceChildren();
    for (const name of kFields) {
      let value = Array.isArray(t[name]) ? t[name].join(", ") : t[name];
      if (name.endsWith("_at")) value = when(value);
      list.append(element("dt", {}, name.replace("_", " ")),
                  element("dd", { "data-field": name }, value === null || value === "" ? "–" : String(value)));
    }
  }

  function details(event) {
    return Object.entries(event)
        .filter(([key, value]) => !kEnvelope.has(key) && value !== null)
        .map(([key, value]) => key + ": " + (typeof value === "string" ? value : JSON.stringify(value)))
        .join(" · ");
  }

  function entry(event) {
    return element("li", { "data-seq": event.seq, "data-type": event.type },
                   element("time", { datetime: event.at || "" }, when(event.at)),
                   element("span", { class: "type" }, event.type),
                   element("span", { class: "details" }, details(event)));
  }

  async function refresh() {
    try {
      const [ticket, audit] = await Promise.all([read("/v1/tickets/" + n), read("/v1/tickets/" + n + "/audit")]);
      fields(ticket);
      document.getElementById("timeline").replaceChildren(...audit.map(entry));
      const main = document.getElementById("ticket");
      main.dataset.ready = "true";
      main.dataset.status = ticket.status;
      problem("");
    } catch (error) {
      problem(error.message);
    }
  }

  document.getElementById("ticket-id").textContent = "#" + n;
  document.title = "Switchboard · ticket #" + n;
  if (!Number.isInteger(n) || n < 1) {
    problem("Name a ticket: /ticket.html?n=7");
    return;
  }
  const soon = throttle(refresh, 200);
  refresh().then(() => follow(kEventTypes, (type, event) => event.ticket === n && soon(), soon));
})();
