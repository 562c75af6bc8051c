// Live preview: any change to the session form refreshes the preview beside it (the 预览 button does the same).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("session");
  const button = document.getElementById("preview-button");
  if (!form || !button) return;
  let timer;
  const refresh = () => { clearTimeout(timer); timer = setTimeout(() => form.requestSubmit(button), 400); };
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
});
