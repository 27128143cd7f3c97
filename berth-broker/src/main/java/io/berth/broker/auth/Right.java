package io.berth.broker.auth;

/** What an ACL line grants on the topics of its pattern. */
public enum Right {
    /** Send PUBLISH (and a will) to these topics. */
    PUBLISH,
    /** SUBSCRIBE with filters inside the pattern. */
    SUBSCRIBE,
    /** Be sent messages of these topics, retained ones included. */
    RECEIVE
}
