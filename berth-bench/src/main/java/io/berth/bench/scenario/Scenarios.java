package io.berth.bench.scenario;

import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import java.util.ArrayList;
import java.util.List;

/** Every scenario by name, in the order a full run takes them (a paced run after its maximum). */
public final class Scenarios {
    private Scenarios() {}

    public static List<Scenario> all() {
        return List.of(
                new OnlineScenario(QoS.AT_LEAST_ONCE, false, null),
                new OnlineScenario(QoS.AT_LEAST_ONCE, true, null),
                OnlineScenario.fixedRate(QoS.AT_LEAST_ONCE, OnlineScenario.FIXED_RATE),
                new OnlineScenario(QoS.EXACTLY_ONCE, false, null),
                new OnlineScenario(QoS.AT_LEAST_ONCE, false, MqttVersion.V5),
                new FillDrainScenario(FillDrainScenario.Restart.NONE),
                new FillDrainScenario(FillDrainScenario.Restart.CLEAN),
                new FillDrainScenario(FillDrainScenario.Restart.KILL),
                new IdleSessionsScenario(),
                new FanOutScenario(),
                new ClientQos1Scenario());
    }

    /** The scenarios named in a comma-separated list ({@code all} for every one), in run order. */
    public static List<Scenario> select(String names) {
        if (names.equals("all")) {
            return all();
        }
        List<String> wanted = List.of(names.split(","));
        List<Scenario> chosen = new ArrayList<>();
        for (Scenario s : all()) {
            if (wanted.contains(s.name())) {
                chosen.add(s);
            }
        }
        for (String w : wanted) {
            if (all().stream().noneMatch(s -> s.name().equals(w))) {
                throw new IllegalArgumentException("no scenario '" + w + "'; known: "
                        + all().stream().map(Scenario::name).toList());
            }
        }
        return chosen;
    }
}
