package io.berth.codec;

/**
 * Where a property list stands: the packet types of table 2.2.2.2 of the MQTT 5.0 specification, with
 * PUBACK standing for all four acknowledgements and the will properties of a CONNECT on their own.
 */
enum PropertyScope {
    CONNECT,
    CONNACK,
    PUBLISH,
    PUBACK,
    SUBSCRIBE,
    SUBACK,
    UNSUBSCRIBE,
    UNSUBACK,
    DISCONNECT,
    AUTH,
    WILL
}
