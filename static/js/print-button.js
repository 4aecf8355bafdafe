// A button that opens the browser's print dialog (CSP allows no inline handlers).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
