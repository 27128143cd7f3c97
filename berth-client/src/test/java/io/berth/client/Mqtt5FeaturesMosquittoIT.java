package io.berth.client;

/** {@link Mqtt5FeatureScenarios} against Debian's mosquitto (skipped when it is not installed). */
class Mqtt5FeaturesMosquittoIT extends Mqtt5FeatureScenarios {
    @Override
    TestBroker.Kind kind() {
        return TestBroker.Kind.MOSQUITTO;
    }

    /** Mosquitto 2.0.11 did not send the delayed will within 10 s of a DISCONNECT that ended the session. */
    @Override
    boolean sendsDelayedWillWhenTheSessionEnds() {
        return false;
    }
}
