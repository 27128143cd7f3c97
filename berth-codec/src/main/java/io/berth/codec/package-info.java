/**
 * MQTT 3.1.1 and 5.0 packets as immutable records, with a strict decoder ({@link MqttDecoder}) and an
 * encoder ({@link MqttEncoder}).
 *
 * <p>Threading: packet records are immutable and may cross threads freely. A decoder or encoder instance
 * belongs to one channel and runs on that channel's event loop only.
 */
@NullMarked
package io.berth.codec;

import org.jspecify.annotations.NullMarked;
