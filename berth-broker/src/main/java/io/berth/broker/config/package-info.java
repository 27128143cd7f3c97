/**
 * Configuration: the validated {@link BrokerConfig} record and the YAML file reader.
 *
 * <p>Threading: records are immutable; the reader runs once at start on the caller's thread.
 */
@NullMarked
package io.berth.broker.config;

import org.jspecify.annotations.NullMarked;
