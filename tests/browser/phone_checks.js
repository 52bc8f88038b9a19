// The phone test's checks (tests/browser/test_phone.py), run in the page: page.evaluate(source, "overflow").
// Each returns what is wrong, described so that a reader finds the element.
(check) => {
  const describe = (el) => {
    let d = el.tagName.toLowerCase();
    if (el.id) d += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) {
      d += "." + el.className.trim().split(/\s+/).join(".");
    }
    for (const attr of ["name", "type", "aria-label"]) {
      if (el.getAttribute(attr)) d += `[${attr}="${el.getAttribute(attr)}"]`;
    }
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return text ? `${d} «${text}»` : d;
  };

  // Inside a scrolling or clipping box, an element does not widen the document. For an absolutely positioned
  // element only its containing blocks count: a scrolling box that is not one does not hold it in.
  const contained = (el) => {
    let position = getComputedStyle(el).position;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (position === "fixed") return true;
      const style = getComputedStyle(a);
      if (position === "absolute" && style.position === "static") continue;
      if (style.overflowX !== "visible") return true;
      position = style.position;
    }
    return false;
  };

  // The document is wider than the window: name the element that reaches furthest right (the deepest of equals).
  const overflow = () => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    let widest = null, right = width, depth = -1;
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const content = getComputedStyle(el).overflowX === "visible" ? box.left + el.scrollWidth : 0;
      const reach = Math.max(box.right, content);
      if (reach <= width + 0.5 || contained(el)) continue;
      let d = 0;
      for (let a = el; a; a = a.parentElement) d++;
      if (reach > right + 0.5 || (Math.abs(reach - right) <= 0.5 && d > depth)) {
        widest = el; right = reach; depth = d;
      }
    }
    return { scrollWidth, width, widest: widest ? describe(widest) : "(none found)", right: Math.round(right) };
  };

  // WCAG 2.2 SC 2.5.8 Target Size (Minimum): buttons and links styled as buttons are at least 24×24 CSS px, or a
  // 24 px circle on an undersized one meets no other target and no other such circle (the spacing exception).
  // Radio buttons and checkboxes get no exception: Designsystemet draws them 24×24 (issue 16 found 8×24 slivers,
  // which the spacing exception would let through).
  const smallTargets = () => {
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== "hidden";
    };
    const controls = "input[type=radio], input[type=checkbox], button, input[type=submit], input[type=button], "
      + "input[type=reset], a.ds-button, [role=button]";
    const anyTarget = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], "
      + "[tabindex]:not([tabindex='-1'])";
    const targets = [...document.querySelectorAll(anyTarget)].filter(shown)
      .map((el) => ({ el, r: el.getBoundingClientRect() }));
    const small = (r) => r.width < 23.99 || r.height < 23.99;
    const problems = [];
    for (const el of [...document.querySelectorAll(controls)].filter(shown)) {
      const r = el.getBoundingClientRect();
      if (!small(r)) continue;
      if (el.matches("input[type=radio], input[type=checkbox]")) {
        problems.push(`${describe(el)} is ${r.width.toFixed(1)}×${r.height.toFixed(1)} px`);
        continue;
      }
      const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
      const crowded = targets.some(({ el: other, r: o }) => {
        if (other === el || other.contains(el) || el.contains(other)) return false;
        const dx = Math.max(o.left - cx, 0, cx - o.right), dy = Math.max(o.top - cy, 0, cy - o.bottom);
        if (Math.hypot(dx, dy) < 12) return true;
        return small(o) && Math.hypot(o.left + o.width / 2 - cx, o.top + o.height / 2 - cy) < 24;
      });
      if (crowded) problems.push(`${describe(el)} is ${r.width.toFixed(1)}×${r.height.toFixed(1)} px`);
    }
    return problems;
  };

  // No table is cut off: the box it scrolls in (if any) does not need scrolling.
  const cutOffTables = () => {
    const problems = [];
    for (const table of document.querySelectorAll("table")) {
      let box = table.parentElement;
      while (box && box !== document.body && getComputedStyle(box).overflowX === "visible") box = box.parentElement;
      if (!box || box === document.body || box.scrollWidth <= box.clientWidth + 1) continue;
      const name = table.caption ? table.caption.textContent.trim() : describe(table);
      problems.push(`table «${name}» needs ${box.scrollWidth} px and has ${box.clientWidth} px: columns are cut off`);
    }
    return problems;
  };

  return { overflow, smallTargets, cutOffTables }[check]();
}
