package io.vine.tun.route;

/** What a route announce or withdraw did to a {@link RouteTable}. */
public enum RouteUpdate {
    /** A new route was installed. */
    ADDED,
    /** The route's epoch moved forward (same owner). */
    REFRESHED,
    /** The route was removed. */
    REMOVED,
    /** Same owner and epoch as the route already held: nothing changed. */
    UNCHANGED,
    /** The update's epoch is not newer than what the table holds for the prefix: it lost. */
    STALE,
    /** The prefix is held by another owner: refused (ownership never moves by an update). */
    CONFLICT,
    /** A withdraw for a prefix the table does not hold. */
    UNKNOWN
}
