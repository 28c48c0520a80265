// coso: a target's path against its straight path (Chart.js from static files). The values come
// from the page's <script type="application/json" id="target-data">, written by the server from
// the measure engine; nothing is computed here. No inline script: the CSP forbids it.
(() => {
  const source = document.getElementById("target-data");
  const canvas = document.getElementById("target-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const number = new Intl.NumberFormat(document.documentElement.lang || "vi");
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.value_label, data: data.values, borderColor: "#8b1a1a", backgroundColor: "#8b1a1a", tension: 0, spanGaps: true },
        { label: data.expected_label, data: data.expected, borderColor: "#2f6f8f", borderDash: [6, 4], pointRadius: 0, tension: 0 },
        { label: data.threshold_label, data: data.labels.map(() => data.threshold), borderColor: "#d4a017", borderWidth: 1, pointRadius: 0 },
      ],
    },
    options: {
      aspectRatio: 2.2,
      plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.parsed.y === null ? "—" : number.format(ctx.parsed.y)}` } } },
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => number.format(v) } } },
    },
  });
})();
