package io.berth.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AclTest {
    private static final Acl ACL = Acl.parse(
            List.of(
                    "# comment",
                    "everyone",
                    "  subscribe,receive public/#",
                    "  all clients/%c/#       # own client id",
                    "  publish users/%u/out",
                    "user alice",
                    "  publish sensors/alice/#",
                    "  subscribe sensors/+/temp",
                    "  receive sensors/#",
                    "client dashboard",
                    "  subscribe,receive sensors/#",
                    "anonymous",
                    "  receive anon/#"),
            "acl");

    @Test
    void deny_takesRightsAwayWhateverGrantsThem() {
        Acl acl = Acl.parse(
                List.of(
                        "everyone",
                        "  all #",
                        "  deny subscribe test/nosubscribe",
                        "user bob",
                        "  deny all bob/secret/#"),
                "acl");
        assertThat(acl.canSubscribe("", "c", "test/nosubscribe")).isFalse();
        assertThat(acl.canSubscribe("", "c", "test/other")).isTrue();
        // a denied subscribe also denies receive, so that no wider filter delivers the topic
        assertThat(acl.canReceive("", "c", "test/nosubscribe")).isFalse();
        assertThat(acl.canReceive("", "c", "test/other")).isTrue();
        assertThat(acl.canPublish("bob", "b", "bob/secret/x")).isFalse();
        assertThat(acl.canPublish("alice", "a", "bob/secret/x")).isTrue();
        assertThatThrownBy(() -> Acl.parse(List.of("everyone", "  deny #"), "acl"))
                .hasMessageContaining("line 2");
    }

    @Test
    void publish_needsAMatchingPattern() {
        assertThat(ACL.canPublish("alice", "a1", "sensors/alice/t")).isTrue();
        assertThat(ACL.canPublish("alice", "a1", "sensors/bob/t")).isFalse();
        assertThat(ACL.canPublish("bob", "b1", "sensors/alice/t")).isFalse();
        assertThat(ACL.canPublish("alice", "a1", "public/x")).isFalse();
    }

    @Test
    void subscribe_needsAPatternContainingTheWholeFilter() {
        assertThat(ACL.canSubscribe("alice", "a1", "sensors/+/temp")).isTrue();
        assertThat(ACL.canSubscribe("alice", "a1", "sensors/kitchen/temp")).isTrue();
        assertThat(ACL.canSubscribe("alice", "a1", "sensors/#")).isFalse();
        assertThat(ACL.canSubscribe("alice", "a1", "sensors/+/+")).isFalse();
        assertThat(ACL.canSubscribe("x", "dashboard", "sensors/#")).isTrue();
        assertThat(ACL.canSubscribe("x", "c", "public/#")).isTrue();
        assertThat(ACL.canSubscribe("x", "c", "#")).isFalse();
        assertThat(ACL.canSubscribe("x", "c", "$share/g/public/a")).isTrue();
        assertThat(ACL.canSubscribe("x", "c", "$share/g/sensors/a")).isFalse();
    }

    @Test
    void receive_isSeparateFromSubscribe() {
        assertThat(ACL.canReceive("alice", "a1", "sensors/bob/humidity")).isTrue();
        assertThat(ACL.canSubscribe("alice", "a1", "sensors/bob/humidity")).isFalse();
        assertThat(ACL.canReceive("bob", "b1", "sensors/bob/humidity")).isFalse();
    }

    @Test
    void substitutions_useTheClientIdAndUsername_andNeverWildcards() {
        assertThat(ACL.canPublish("bob", "car-7", "clients/car-7/gps")).isTrue();
        assertThat(ACL.canPublish("bob", "car-7", "clients/car-8/gps")).isFalse();
        assertThat(ACL.canPublish("bob", "c", "users/bob/out")).isTrue();
        assertThat(ACL.canPublish("", "c", "users//out")).isFalse();
        assertThat(ACL.canSubscribe("bob", "#", "clients/#")).isFalse();
        assertThat(ACL.canSubscribe("bob", "+", "clients/+/x")).isFalse();
    }

    @Test
    void anonymousSection_appliesOnlyWithoutUsername() {
        assertThat(ACL.canReceive("", "c", "anon/a")).isTrue();
        assertThat(ACL.canReceive("alice", "c", "anon/a")).isFalse();
    }

    @Test
    void wildcards_doNotGrantDollarTopics() {
        Acl all = Acl.parse(List.of("everyone", "all #"), "acl");
        assertThat(all.canPublish("u", "c", "a/b")).isTrue();
        assertThat(all.canReceive("u", "c", "$SYS/x")).isFalse();
        assertThat(all.canSubscribe("u", "c", "$SYS/#")).isFalse();
    }

    @Test
    void denySubscribe_alsoDeniesReceive_soWiderFiltersDeliverNothingOfIt() {
        Acl acl = Acl.parse(List.of("everyone", "  all #", "  deny subscribe secret/#"), "acl");
        for (String wider : List.of("#", "+/x", "+/#", "secret/+/x", "$share/g/#")) {
            assertThat(acl.canSubscribe("u", "c", wider)).as(wider).isEqualTo(!wider.startsWith("secret"));
        }
        assertThat(acl.canSubscribe("u", "c", "secret/+")).isFalse();
        assertThat(acl.canReceive("u", "c", "secret/x")).isFalse();
        assertThat(acl.canReceive("u", "c", "secrets/x")).isTrue();
        assertThat(acl.canReceive("u", "c", "public/x")).isTrue();
        // a deny of receive alone leaves subscribe alone
        Acl receiveOnly = Acl.parse(List.of("everyone", "  all #", "  deny receive secret/#"), "acl");
        assertThat(receiveOnly.canSubscribe("u", "c", "secret/#")).isTrue();
    }

    @Test
    void brokerTopics_areNeverWritableByClients_whateverTheFileSays() {
        Acl acl = Acl.parse(List.of("everyone", "  all #", "  all $SYS/#"), "acl");
        assertThat(acl.canPublish("u", "c", "$SYS/berth/events/queue-watermark"))
                .isFalse();
        assertThat(acl.canPublish("u", "c", "$SYS")).isFalse();
        assertThat(acl.canPublish("u", "c", "$share/g/x")).isFalse();
        assertThat(acl.canPublish("u", "c", "$SYSTEM/x")).isFalse();
        assertThat(acl.canPublish("u", "c", "a/b")).isTrue();
        assertThat(Acl.isBrokerOnly("$SYSTEM/x")).isFalse();
        assertThat(Acl.isBrokerOnly("a/$SYS/x")).isFalse();
    }

    @Test
    void substitutions_ofNamesStartingWithDollar_doNotApply() {
        Acl acl = Acl.parse(List.of("everyone", "  all %c/#", "  all home/%u/#"), "acl");
        assertThat(acl.canSubscribe("u", "$SYS", "$SYS/#")).isFalse();
        assertThat(acl.canReceive("u", "$SYS", "$SYS/berth/x")).isFalse();
        assertThat(acl.canSubscribe("$u", "c", "home/$u/#")).isFalse();
        assertThat(acl.canPublish("u", "$x", "$x/y")).isFalse();
        assertThat(acl.canPublish("u", "car", "car/y")).isTrue();
    }

    @Test
    void mistakes_nameTheFileAndLine() {
        assertThatThrownBy(() -> Acl.parse(List.of("publish a/b"), "f.acl")).hasMessageContaining("f.acl: line 1");
        assertThatThrownBy(() -> Acl.parse(List.of("user a", "write a/b"), "f.acl"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("unknown right 'write'");
        assertThatThrownBy(() -> Acl.parse(List.of("user a", "publish a/#/b"), "f.acl"))
                .hasMessageContaining("not a valid topic pattern");
    }
}
