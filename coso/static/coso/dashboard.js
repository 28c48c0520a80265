// coso: the dashboard's charts (Chart.js from static files). The figures come from the page's
// <script type="application/json" id="dashboard-data"> block, written by the server from the
// measure engine; nothing is computed here. No inline script: the CSP forbids it.
(() => {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const lang = document.documentElement.lang || "vi";
  const number = new Intl.NumberFormat(lang);
  const PARTY = "#8b1a1a";
  const PALETTE = ["#8b1a1a", "#d4a017", "#2f6f8f", "#5b8c3a", "#9c5a9c", "#c46a2b", "#4f6d7a", "#a0a0a0", "#3d7f6e", "#b84a62"];

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#333";
  Chart.defaults.animation = false; // weak office PCs, and printing
  Chart.defaults.plugins.tooltip.callbacks.label = (ctx) => {
    const value = ctx.parsed && typeof ctx.parsed === "object" ? (ctx.chart.options.indexAxis === "y" ? ctx.parsed.x : ctx.parsed.y) : ctx.parsed;
    return `${ctx.dataset.label || ctx.label}: ${value === null ? "—" : number.format(value)}`;
  };

  const ticks = { callback: (value) => number.format(value), precision: 0 };

  function bar(canvas, chart, label, options = {}) {
    return new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ label, data: chart.values, backgroundColor: PARTY, maxBarThickness: 48 }] },
      options: {
        aspectRatio: 2,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks } },
        ...options,
      },
    });
  }

  function doughnut(canvas, chart) {
    return new Chart(canvas, {
      type: "doughnut",
      data: { labels: chart.labels, datasets: [{ data: chart.values, backgroundColor: chart.labels.map((_l, i) => PALETTE[i % PALETTE.length]) }] },
      options: {
        aspectRatio: 1.3,
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: (ctx) => `${ctx.label}: ${number.format(ctx.parsed)}` } },
        },
      },
    });
  }

  function children(canvas, chart, label) {
    // one bar per child, tall enough to read every name; a click opens that child's dashboard
    const box = canvas.parentElement;
    box.style.height = `${Math.max(160, chart.labels.length * 22 + 40)}px`;
    return new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ label, data: chart.values, backgroundColor: chart.urls.map((u) => (u ? PARTY : "#b0b0b0")), maxBarThickness: 18 }] },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks }, y: { ticks: { autoSkip: false } } },
        onClick: (_event, elements) => {
          const url = elements.length ? chart.urls[elements[0].index] : "";
          if (url) window.location.assign(url);
        },
        onHover: (event, elements) => {
          const url = elements.length ? chart.urls[elements[0].index] : "";
          event.native.target.style.cursor = url ? "pointer" : "default";
        },
      },
    });
  }

  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const kind = canvas.dataset.chart;
    if (kind === "members_by_year") {
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.members_by_year.labels,
          datasets: [{ label: data.text.members, data: data.members_by_year.values, borderColor: PARTY, backgroundColor: PARTY, spanGaps: false, tension: 0.2 }],
        },
        options: { aspectRatio: 2.4, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks } } },
      });
    } else if (kind === "kinds") {
      bar(canvas, data.kinds, data.text.organizations, { indexAxis: "y", aspectRatio: 1.3, scales: { x: { beginAtZero: true, ticks } } });
    } else if (kind === "composition") {
      doughnut(canvas, data.compositions[Number(canvas.dataset.index)]);
    } else if (kind === "admissions") {
      bar(canvas, data.admissions, data.text.admitted);
    } else if (kind === "children") {
      children(canvas, data.children, data.text.members);
    }
  }
})();
