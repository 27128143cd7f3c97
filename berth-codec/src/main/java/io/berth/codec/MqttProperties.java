package io.berth.codec;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The MQTT 5 properties of a packet (section 2.2.2). A null component means the property is absent;
 * list components are never null. 3.1.1 packets carry {@link #EMPTY}. Which properties a packet type may
 * carry is checked by the decoder; records do not check it, so that tests can build any combination.
 *
 * <p>Byte array components are shared, not copied: treat them as immutable.
 */
public record MqttProperties(
        @Nullable Integer payloadFormatIndicator,
        @Nullable Long messageExpiryInterval,
        @Nullable String contentType,
        @Nullable String responseTopic,
        byte @Nullable [] correlationData,
        List<Integer> subscriptionIdentifiers,
        @Nullable Long sessionExpiryInterval,
        @Nullable String assignedClientIdentifier,
        @Nullable Integer serverKeepAlive,
        @Nullable String authenticationMethod,
        byte @Nullable [] authenticationData,
        @Nullable Integer requestProblemInformation,
        @Nullable Long willDelayInterval,
        @Nullable Integer requestResponseInformation,
        @Nullable String responseInformation,
        @Nullable String serverReference,
        @Nullable String reasonString,
        @Nullable Integer receiveMaximum,
        @Nullable Integer topicAliasMaximum,
        @Nullable Integer topicAlias,
        @Nullable Integer maximumQos,
        @Nullable Integer retainAvailable,
        List<UserProperty> userProperties,
        @Nullable Long maximumPacketSize,
        @Nullable Integer wildcardSubscriptionAvailable,
        @Nullable Integer subscriptionIdentifierAvailable,
        @Nullable Integer sharedSubscriptionAvailable) {

    /** No properties at all. */
    public static final MqttProperties EMPTY = builder().build();

    public MqttProperties {
        subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
        userProperties = List.copyOf(userProperties);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these properties. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when no property is present. */
    public boolean isEmpty() {
        return equals(EMPTY)
                || (payloadFormatIndicator == null
                        && messageExpiryInterval == null
                        && contentType == null
                        && responseTopic == null
                        && correlationData == null
                        && subscriptionIdentifiers.isEmpty()
                        && sessionExpiryInterval == null
                        && assignedClientIdentifier == null
                        && serverKeepAlive == null
                        && authenticationMethod == null
                        && authenticationData == null
                        && requestProblemInformation == null
                        && willDelayInterval == null
                        && requestResponseInformation == null
                        && responseInformation == null
                        && serverReference == null
                        && reasonString == null
                        && receiveMaximum == null
                        && topicAliasMaximum == null
                        && topicAlias == null
                        && maximumQos == null
                        && retainAvailable == null
                        && userProperties.isEmpty()
                        && maximumPacketSize == null
                        && wildcardSubscriptionAvailable == null
                        && subscriptionIdentifierAvailable == null
                        && sharedSubscriptionAvailable == null);
    }

    /** Mutable builder; one thread at a time. */
    public static final class Builder {
        private @Nullable Integer payloadFormatIndicator;
        private @Nullable Long messageExpiryInterval;
        private @Nullable String contentType;
        private @Nullable String responseTopic;
        private byte @Nullable [] correlationData;
        private List<Integer> subscriptionIdentifiers = List.of();
        private @Nullable Long sessionExpiryInterval;
        private @Nullable String assignedClientIdentifier;
        private @Nullable Integer serverKeepAlive;
        private @Nullable String authenticationMethod;
        private byte @Nullable [] authenticationData;
        private @Nullable Integer requestProblemInformation;
        private @Nullable Long willDelayInterval;
        private @Nullable Integer requestResponseInformation;
        private @Nullable String responseInformation;
        private @Nullable String serverReference;
        private @Nullable String reasonString;
        private @Nullable Integer receiveMaximum;
        private @Nullable Integer topicAliasMaximum;
        private @Nullable Integer topicAlias;
        private @Nullable Integer maximumQos;
        private @Nullable Integer retainAvailable;
        private List<UserProperty> userProperties = List.of();
        private @Nullable Long maximumPacketSize;
        private @Nullable Integer wildcardSubscriptionAvailable;
        private @Nullable Integer subscriptionIdentifierAvailable;
        private @Nullable Integer sharedSubscriptionAvailable;

        private Builder() {}

        private Builder(MqttProperties p) {
            payloadFormatIndicator = p.payloadFormatIndicator;
            messageExpiryInterval = p.messageExpiryInterval;
            contentType = p.contentType;
            responseTopic = p.responseTopic;
            correlationData = p.correlationData;
            subscriptionIdentifiers = p.subscriptionIdentifiers;
            sessionExpiryInterval = p.sessionExpiryInterval;
            assignedClientIdentifier = p.assignedClientIdentifier;
            serverKeepAlive = p.serverKeepAlive;
            authenticationMethod = p.authenticationMethod;
            authenticationData = p.authenticationData;
            requestProblemInformation = p.requestProblemInformation;
            willDelayInterval = p.willDelayInterval;
            requestResponseInformation = p.requestResponseInformation;
            responseInformation = p.responseInformation;
            serverReference = p.serverReference;
            reasonString = p.reasonString;
            receiveMaximum = p.receiveMaximum;
            topicAliasMaximum = p.topicAliasMaximum;
            topicAlias = p.topicAlias;
            maximumQos = p.maximumQos;
            retainAvailable = p.retainAvailable;
            userProperties = p.userProperties;
            maximumPacketSize = p.maximumPacketSize;
            wildcardSubscriptionAvailable = p.wildcardSubscriptionAvailable;
            subscriptionIdentifierAvailable = p.subscriptionIdentifierAvailable;
            sharedSubscriptionAvailable = p.sharedSubscriptionAvailable;
        }

        public Builder payloadFormatIndicator(@Nullable Integer v) {
            payloadFormatIndicator = v;
            return this;
        }

        public Builder messageExpiryInterval(@Nullable Long v) {
            messageExpiryInterval = v;
            return this;
        }

        public Builder contentType(@Nullable String v) {
            contentType = v;
            return this;
        }

        public Builder responseTopic(@Nullable String v) {
            responseTopic = v;
            return this;
        }

        public Builder correlationData(byte @Nullable [] v) {
            correlationData = v;
            return this;
        }

        public Builder subscriptionIdentifiers(List<Integer> v) {
            subscriptionIdentifiers = v;
            return this;
        }

        public Builder sessionExpiryInterval(@Nullable Long v) {
            sessionExpiryInterval = v;
            return this;
        }

        public Builder assignedClientIdentifier(@Nullable String v) {
            assignedClientIdentifier = v;
            return this;
        }

        public Builder serverKeepAlive(@Nullable Integer v) {
            serverKeepAlive = v;
            return this;
        }

        public Builder authenticationMethod(@Nullable String v) {
            authenticationMethod = v;
            return this;
        }

        public Builder authenticationData(byte @Nullable [] v) {
            authenticationData = v;
            return this;
        }

        public Builder requestProblemInformation(@Nullable Integer v) {
            requestProblemInformation = v;
            return this;
        }

        public Builder willDelayInterval(@Nullable Long v) {
            willDelayInterval = v;
            return this;
        }

        public Builder requestResponseInformation(@Nullable Integer v) {
            requestResponseInformation = v;
            return this;
        }

        public Builder responseInformation(@Nullable String v) {
            responseInformation = v;
            return this;
        }

        public Builder serverReference(@Nullable String v) {
            serverReference = v;
            return this;
        }

        public Builder reasonString(@Nullable String v) {
            reasonString = v;
            return this;
        }

        public Builder receiveMaximum(@Nullable Integer v) {
            receiveMaximum = v;
            return this;
        }

        public Builder topicAliasMaximum(@Nullable Integer v) {
            topicAliasMaximum = v;
            return this;
        }

        public Builder topicAlias(@Nullable Integer v) {
            topicAlias = v;
            return this;
        }

        public Builder maximumQos(@Nullable Integer v) {
            maximumQos = v;
            return this;
        }

        public Builder retainAvailable(@Nullable Integer v) {
            retainAvailable = v;
            return this;
        }

        public Builder userProperties(List<UserProperty> v) {
            userProperties = v;
            return this;
        }

        public Builder maximumPacketSize(@Nullable Long v) {
            maximumPacketSize = v;
            return this;
        }

        public Builder wildcardSubscriptionAvailable(@Nullable Integer v) {
            wildcardSubscriptionAvailable = v;
            return this;
        }

        public Builder subscriptionIdentifierAvailable(@Nullable Integer v) {
            subscriptionIdentifierAvailable = v;
            return this;
        }

        public Builder sharedSubscriptionAvailable(@Nullable Integer v) {
            sharedSubscriptionAvailable = v;
            return this;
        }

        public MqttProperties build() {
            return new MqttProperties(
                    payloadFormatIndicator,
                    messageExpiryInterval,
                    contentType,
                    responseTopic,
                    correlationData,
                    subscriptionIdentifiers,
                    sessionExpiryInterval,
                    assignedClientIdentifier,
                    serverKeepAlive,
                    authenticationMethod,
                    authenticationData,
                    requestProblemInformation,
                    willDelayInterval,
                    requestResponseInformation,
                    responseInformation,
                    serverReference,
                    reasonString,
                    receiveMaximum,
                    topicAliasMaximum,
                    topicAlias,
                    maximumQos,
                    retainAvailable,
                    userProperties,
                    maximumPacketSize,
                    wildcardSubscriptionAvailable,
                    subscriptionIdentifierAvailable,
                    sharedSubscriptionAvailable);
        }
    }
}
