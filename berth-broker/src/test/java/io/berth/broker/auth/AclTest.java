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
        assertThat(acl.canReceive("", "c", "test/nosubscribe")).isTrue();
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
    void mistakes_nameTheFileAndLine() {
        assertThatThrownBy(() -> Acl.parse(List.of("publish a/b"), "f.acl")).hasMessageContaining("f.acl: line 1");
        assertThatThrownBy(() -> Acl.parse(List.of("user a", "write a/b"), "f.acl"))
                .hasMessageContaining("line 2")
                .hasMessageContaining("unknown right 'write'");
        assertThatThrownBy(() -> Acl.parse(List.of("user a", "publish a/#/b"), "f.acl"))
                .hasMessageContaining("not a valid topic pattern");
    }
}
