package io.mpathgw.iscsi.initiator;

/** Life cycle of an initiator session as observers see it. */
public enum SessionState {
    /** TCP connect and login in progress; commands fail at once with CONNECTION_LOST. */
    LOGGING_IN,
    /** Full-feature phase: commands are accepted. */
    LOGGED_IN,
    /** The connection was lost; a new login is scheduled with exponential back-off. */
    RECOVERING,
    /** Logged out or closed; takes no more commands. */
    CLOSED
}
