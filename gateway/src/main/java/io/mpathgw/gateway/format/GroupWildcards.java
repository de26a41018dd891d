package io.mpathgw.gateway.format;

import io.mpathgw.gateway.model.GroupView;

/** The path group wildcards of the topology tree and the JSON layout (no headers are ever printed for them). */
final class GroupWildcards {

    static final String INDENT_FORMAT = "policy='%s' prio=%p status=%t";

    static final Wildcards<GroupView> GROUPS = new Wildcards<>(
            new Field<>('s', "selector", GroupView::selector),
            new Field<>('p', "pri", g -> Integer.toString(g.priority())),
            new Field<>('t', "dm_st", GroupWildcards::state),
            new Field<>('M', "marginal_st", g -> "normal"));

    private GroupWildcards() {
    }

    private static String state(GroupView g) {
        switch (g.status()) {
            case "active": case "enabled": case "disabled": return g.status();
            default: return "undef";
        }
    }
}
