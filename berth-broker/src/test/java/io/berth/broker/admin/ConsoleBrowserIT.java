package io.berth.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.Berth;
import io.berth.broker.config.Durability;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (Debian's headless Chromium through chromedriver) against a broker
 * with sessions and queued messages made by HiveMQ clients: log in, charts, list and filter sessions,
 * peek, purge (checked through MQTT), kick, events. Screenshots go to {@code target/console/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target", "console");

    @TempDir
    static Path data;

    @TempDir
    static Path profile;

    private Berth berth;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String base;
    private Mqtt5BlockingClient live;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: install Debian's chromium and chromium-driver (.ci/run does)");
        berth = Berth.builder()
                .port(0)
                .dataDir(data)
                .durability(Durability.FSYNC)
                .adminPort(0)
                .build()
                .start();
        base = "http://127.0.0.1:" + berth.adminPort() + "/";
        for (int i = 0; i < 30; i++) {
            offlineSession(String.format("meter-%02d", i), "m/" + i);
        }
        offlineSession("sink", "q/#");
        Mqtt5BlockingClient pub = hivemq("pub");
        pub.connect();
        for (int i = 0; i < 3; i++) {
            publish(pub, "q/purge-me", "old-" + i);
        }
        publish(pub, "q/keep", "keep-0");
        publish(pub, "q/keep", new String(new byte[] {'k', 'e', 'e', 'p', '-', '1'}, StandardCharsets.UTF_8));
        pub.disconnect();
        live = hivemq("live-1");
        live.connectWith().cleanStart(false).sessionExpiryInterval(600).send();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1400",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (live != null && live.getState().isConnected()) {
            live.disconnect();
        }
        if (berth != null) {
            berth.close();
        }
    }

    private Mqtt5BlockingClient hivemq(String id) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(berth.port())
                .buildBlocking();
    }

    private void offlineSession(String id, String filter) throws Exception {
        Mqtt5BlockingClient c = hivemq(id);
        c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        await().until(() -> !berth.admin()
                .session(id)
                .get(5, TimeUnit.SECONDS)
                .orElseThrow()
                .online());
    }

    private static void publish(Mqtt5BlockingClient pub, String topic, String payload) {
        pub.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private void screenshot(String name) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The texts of one column, read in one script so that a redraw cannot intervene. */
    @SuppressWarnings("unchecked")
    private List<String> column(String tableId, int col) {
        return new ArrayList<>((List<String>) ((JavascriptExecutor) browser)
                .executeScript(
                        "return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr'),"
                                + " r => r.cells[arguments[1]].innerText)",
                        tableId,
                        col));
    }

    @Test
    @Order(1)
    void login_withTheGeneratedToken_thenTheOverviewChartsRender() throws Exception {
        browser.get(base);
        WebElement token = visible(By.id("token"));
        token.sendKeys("wrong-token");
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "refused"));
        token.clear();
        token.sendKeys(berth.adminToken().value());
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
        visible(By.id("card-connections"));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("card-offline")).getText()).contains("31");
        assertThat(browser.findElement(By.id("card-queued")).getText()).contains("5");
        // the charts draw once there are two samples (one every 2 s)
        wait.until(d -> d.findElements(By.cssSelector(".chart polyline[data-series=queuedMessages]")).stream()
                .anyMatch(p -> p.getAttribute("points").split(" ").length >= 2));
        assertThat(browser.findElements(By.cssSelector(".chart svg"))).hasSize(5);
        assertThat(browser.findElement(By.cssSelector(".chart svg")).getAttribute("aria-label"))
                .contains("Messages per second", "msg/s");
        assertThat(browser.findElement(By.id("card-bytes")).getText()).contains("B");
        screenshot("overview");
    }

    @Test
    @Order(2)
    void sessions_listFilterSortAndPage() throws Exception {
        browser.findElement(By.cssSelector("#nav a[data-view=sessions]")).click();
        visible(By.cssSelector("#sessions tbody tr"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-summary"), "32 matching"));
        assertThat(column("sessions", 0).get(0)).as("biggest backlog first").isEqualTo("sink");

        WebElement prefix = browser.findElement(By.id("f-prefix"));
        prefix.sendKeys("meter-1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-summary"), "10 matching"));
        assertThat(column("sessions", 0)).hasSize(10).allMatch(id -> id.startsWith("meter-1"));

        browser.findElement(By.cssSelector("button.sort[data-sort=client-id]")).click();
        wait.until(d -> column("sessions", 0).get(0).equals("meter-10"));
        browser.findElement(By.cssSelector("button.sort[data-sort=client-id]")).click();
        wait.until(d -> column("sessions", 0).get(0).equals("meter-19"));

        prefix.clear();
        prefix.sendKeys("meter-");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-size"))).selectByValue("10");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-summary"), "1–10 of 30"));
        browser.findElement(By.id("page-next")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-summary"), "11–20 of 30"));
        // still by client id, descending: the second page of 29..00
        assertThat(column("sessions", 0))
                .containsExactly(
                        "meter-19",
                        "meter-18",
                        "meter-17",
                        "meter-16",
                        "meter-15",
                        "meter-14",
                        "meter-13",
                        "meter-12",
                        "meter-11",
                        "meter-10");

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-state"))).selectByValue("online");
        prefix.clear();
        browser.findElement(By.cssSelector(".filters button[type=submit]")).click();
        wait.until(d -> column("sessions", 0).equals(List.of("live-1")));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-state"))).selectByValue("all");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-size"))).selectByValue("50");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sessions-summary"), "32 matching"));
        screenshot("sessions");
    }

    @Test
    @Order(3)
    void session_peekAsTextAndHex_thenPurgeByTopic_theRestStillArrivesOverMqtt() throws Exception {
        browser.get(base + "#/session/sink");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-queued"), "5 messages"));
        browser.findElement(By.id("peek")).click();
        visible(By.cssSelector("#peek-table tbody tr"));
        assertThat(column("peek-table", 5)).containsExactly("old-0", "old-1", "old-2", "keep-0", "keep-1");
        browser.findElement(By.id("enc-hex")).click();
        wait.until(d -> column("peek-table", 5).get(0).equals("6f 6c 64 2d 30"));
        screenshot("session");

        browser.findElement(By.id("purge-topic")).sendKeys("q/purge-me");
        browser.findElement(By.id("purge")).click();
        WebElement text = visible(By.id("confirm-text"));
        assertThat(text.getText()).contains("3 queued messages");
        screenshot("purge-confirm");
        browser.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Removed 3 messages"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-queued"), "2 messages"));

        // through MQTT: the purged messages are gone, the others still arrive, then a marker sent after
        Mqtt5BlockingClient sink = hivemq("sink");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sink.publishes(MqttGlobalPublishFilter.ALL)) {
            sink.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            Mqtt5BlockingClient pub = hivemq("pub");
            pub.connect();
            publish(pub, "q/marker", "marker");
            pub.disconnect();
            List<String> got = new ArrayList<>();
            while (!got.contains("marker")) {
                Optional<Mqtt5Publish> p = publishes.receive(20, TimeUnit.SECONDS);
                assertThat(p).as("received so far: " + got).isPresent();
                got.add(new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertThat(got).containsExactly("keep-0", "keep-1", "marker");
        } finally {
            sink.disconnect();
        }
    }

    @Test
    @Order(4)
    void kick_closesTheClientsConnection_sessionStays() throws Exception {
        browser.get(base + "#/session/live-1");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-state"), "online"));
        browser.findElement(By.id("kick")).click();
        visible(By.id("confirm-ok")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> !live.getState().isConnected());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-state"), "offline"));
        assertThat(berth.admin().session("live-1").get(5, TimeUnit.SECONDS)).isPresent();
        screenshot("kicked");
    }

    @Test
    @Order(5)
    void events_showTheDropsOfThePurge() throws Exception {
        browser.findElement(By.cssSelector("#nav a[data-view=events]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "dropped: purged"));
        assertThat(browser.findElement(By.id("events")).getText()).contains("3 messages");
        screenshot("events");
    }

    @Test
    @Order(6)
    void readyLink_tokenTakenOnceAndRemovedFromTheAddressBar_logoutForgetsIt() {
        browser.findElement(By.id("logout")).click();
        visible(By.id("token"));
        browser.get(base + "?token=" + berth.adminToken().value() + "#/overview");
        visible(By.id("card-connections"));
        assertThat(browser.getCurrentUrl()).doesNotContain("token=");
        Object stored = ((JavascriptExecutor) browser)
                .executeScript("return sessionStorage.getItem('berth.admin-token') !== null"
                        + " && localStorage.length === 0 && document.cookie === ''");
        assertThat(stored).isEqualTo(Boolean.TRUE);
    }
}
