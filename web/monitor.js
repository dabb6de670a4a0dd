// The supervisor monitor (B51): renders GET /v1/monitor, and reads it again whenever events come
// (at most every 200 ms), so it follows the desk without a reload. Each figure carries data-*
// attributes with its raw value, for tests and for anyone scripting the page.
"use strict";

(() => {
  const { read, follow, throttle, duration, when, element, problem, kEventTypes } = Switchboard;
  const kChannels = ["messaging", "email"];

  function figure(id, text, value) {
    const e = document.getElementById(id);
    e.textContent = text;
    e.dataset.value = value;
  }

  function queueRow(q) {
    const waiting = q.size > 0 ? duration(q.oldest_wait_s) : "–";
    return element("tr", { "data-queue": q.group + "/" + q.channel, "data-size": q.size,
                           "data-oldest-wait": q.oldest_wait_s },
                   element("td", {}, q.group), element("td", {}, q.channel),
                   element("td", { class: "num" }, String(q.size)), element("td", { class: "num" }, waiting));
  }

  // "2 / 3" with a bar filled to load over capacity.
  function loadCell(agent, channel) {
    const load = agent.load[channel] ?? 0, capacity = agent.capacity[channel] ?? 0;
    const bar = element("span", { class: "bar" }, element("span", { class: "fill" }));
    bar.firstChild.style.width = (capacity > 0 ? Math.min(100, (100 * load) / capacity) : 0) + "%";
    return element("td", { "data-channel": channel, "data-load": load, "data-capacity": capacity },
                   bar, element("span", { class: "load" }, load + " / " + capacity));
  }

  function agentRow(a) {
    const messaging = a.load.messaging ?? 0, email = a.load.email ?? 0;
    return element("tr", { "data-agent": a.id, "data-status": a.status, "data-load": messaging + email },
                   element("td", {}, a.id),
                   element("td", {}, element("span", { class: "status " + a.status }, a.status)),
                   ...kChannels.map((channel) => loadCell(a, channel)));
  }

  function render(m) {
    figure("created", String(m.tickets.created), m.tickets.created);
    figure("solved", String(m.tickets.solved), m.tickets.solved);
    figure("average-wait", duration(m.average_wait_s), m.average_wait_s);
    const rated = m.csat.good + m.csat.bad;
    figure("csat", m.csat.score === null ? "–" : m.csat.score + " % of " + rated, m.csat.score ?? "");
    figure("deflected", String(m.deflected), m.deflected);
    document.getElementById("queues").replaceChildren(...m.queues.map(queueRow));
    document.getElementById("agents").replaceChildren(...m.agents.map(agentRow));
    document.getElementById("as-of").textContent = m.at ? "as of " + when(m.at) + " UTC" : "";
    document.getElementById("monitor").dataset.ready = "true";
  }

  async function refresh() {
    try {
      render(await read("/v1/monitor"));
      problem("");
    } catch (error) {
      problem(error.message);
    }
  }

  const soon = throttle(refresh, 200);
  refresh().then(() => follow(kEventTypes, soon, soon));
})();
