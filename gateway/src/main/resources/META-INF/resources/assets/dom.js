// Small DOM helpers for updating in place: nodes are created once per key and afterwards only their text,
// attributes and classes change, so a live update never re-renders (no flicker, focus and selection survive).

/** Creates an element: el('td', {class: 'x', 'data-f': 'dev'}, child, 'text'). */
export function el(tag, attrs = {}, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v === false || v == null) continue;
        n.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) if (c != null) n.append(c);
    return n;
}

/** Sets text only when it changed (a write of the same text still restarts selection and screen readers). */
export function setText(n, text) {
    const t = text == null ? '' : String(text);
    if (n && n.textContent !== t) n.textContent = t;
}

export function setAttr(n, name, value) {
    if (!n) return;
    if (value == null || value === false) {
        if (n.hasAttribute(name)) n.removeAttribute(name);
    } else if (n.getAttribute(name) !== String(value)) n.setAttribute(name, String(value));
}

/** Replaces the classes starting with {@code prefix} by {@code prefix + suffix}. */
export function setVariant(n, prefix, suffix) {
    if (!n) return;
    const want = prefix + suffix;
    for (const c of [...n.classList]) if (c.startsWith(prefix) && c !== want) n.classList.remove(c);
    if (!n.classList.contains(want)) n.classList.add(want);
}

/** The descendant marked data-f="name". */
export const field = (root, name) => root.querySelector(`[data-f="${name}"]`);

/**
 * Keyed children of {@code parent}: creates the missing ones, updates all, removes the ones gone, and moves nodes
 * only when the order changed.
 */
export function reconcile(parent, items, key, create, update) {
    const existing = new Map();
    for (const c of [...parent.children]) existing.set(c.dataset.key, c);
    let prev = null;
    for (const item of items) {
        const k = String(key(item));
        let n = existing.get(k);
        if (n) existing.delete(k);
        else {
            n = create(item);
            n.dataset.key = k;
        }
        update(n, item);
        const want = prev ? prev.nextSibling : parent.firstChild;
        if (n !== want) parent.insertBefore(n, want);
        prev = n;
    }
    for (const n of existing.values()) n.remove();
}
