package dev.redline.pdp.server.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each client's bounded share of decisions in flight. */
class ClientSharesTest {
    private static final Object ALICE = "alice";
    private static final Object BOB = "bob";

    @Test
    void aClientMayHaveUpToItsLimitInFlight() {
        ClientShares shares = new ClientShares(3);
        for (int i = 0; i < 3; i++) {
            shares.acquire(ALICE, 1);
        }

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> shares.acquire(ALICE, 1));

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
    }

    @Test
    void theRefusalNamesTheClientAndTheLimit() {
        ClientShares shares = new ClientShares(2);
        shares.acquire(ALICE, 2);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> shares.acquire(ALICE, 1));

        assertEquals("principal \"alice\" has 2 decisions in flight and this call adds 1; the limit is 2 decisions"
                + " in flight per client (--max-client-concurrency)", refused.getStatus().getDescription());
    }

    @Test
    void aClientAddressIsNamedWithoutItsPort() throws Exception {
        ClientShares shares = new ClientShares(1);
        InetAddress address = InetAddress.getByName("127.0.0.2");
        shares.acquire(address, 1);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> shares.acquire(address, 1));

        assertTrue(refused.getStatus().getDescription().startsWith("client 127.0.0.2 has 1 decisions in flight"),
                refused.getStatus().getDescription());
    }

    @Test
    void anotherClientIsAdmittedWhileOneIsAtItsLimit() {
        ClientShares shares = new ClientShares(2);
        shares.acquire(ALICE, 2);

        assertDoesNotThrow(() -> shares.acquire(BOB, 2));
    }

    @Test
    void releasingGivesTheSlotsBack() {
        ClientShares shares = new ClientShares(2);
        ClientShares.Share share = shares.acquire(ALICE, 2);

        shares.release(share, 2);

        assertDoesNotThrow(() -> shares.acquire(ALICE, 2));
    }

    @Test
    void aBatchTakesOneSlotPerItem() {
        ClientShares shares = new ClientShares(10);
        shares.acquire(ALICE, 6);

        assertThrows(StatusRuntimeException.class, () -> shares.acquire(ALICE, 5));
        assertDoesNotThrow(() -> shares.acquire(ALICE, 4));
    }

    @Test
    void aBatchLargerThanTheLimitIsAdmittedAloneAndHoldsTheWholeShare() {
        ClientShares shares = new ClientShares(4);
        ClientShares.Share share = shares.acquire(ALICE, 100);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> shares.acquire(ALICE, 1));
        shares.release(share, 100);
        shares.acquire(ALICE, 1);

        assertTrue(refused.getStatus().getDescription().contains("has 4 decisions in flight"),
                refused.getStatus().getDescription());
        StatusRuntimeException bigWhileBusy = assertThrows(StatusRuntimeException.class, () -> shares.acquire(ALICE, 100));
        assertTrue(bigWhileBusy.getStatus().getDescription().contains("this call's 100 decisions take the whole share"),
                bigWhileBusy.getStatus().getDescription());
    }

    @Test
    void aLimitOfZeroAdmitsEveryCall() {
        ClientShares shares = new ClientShares(0);

        for (int i = 0; i < 10_000; i++) {
            shares.acquire(ALICE, 128);
        }
        assertEquals(0, shares.tracked());
    }

    @Test
    void idleClientsAreForgottenOnceTheTableIsFull() {
        ClientShares shares = new ClientShares(1, 8);
        for (int i = 0; i < 100; i++) {
            shares.release(shares.acquire("client-" + i, 1), 1);
        }

        assertTrue(shares.tracked() <= 8, shares.tracked() + " clients tracked");
    }

    @Test
    void clientsPastATableOfBusyClientsShareOneClientsWorth() {
        ClientShares shares = new ClientShares(1, 2);
        shares.acquire("busy-1", 1);
        shares.acquire("busy-2", 1);
        shares.acquire("late-1", 1);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> shares.acquire("late-2", 1));

        assertTrue(refused.getStatus().getDescription().startsWith("the one share of the clients past the 2 tracked at once has 1"),
                refused.getStatus().getDescription());
        assertEquals(2, shares.tracked());
    }

    @Test
    void aClientReturningAfterItsCounterWasForgottenStartsAfresh() {
        ClientShares shares = new ClientShares(1, 1);
        shares.release(shares.acquire(ALICE, 1), 1);
        shares.release(shares.acquire(BOB, 1), 1); // the table is full: alice, idle, is forgotten

        assertDoesNotThrow(() -> shares.acquire(ALICE, 1));
    }

    @Test
    void racingCallsNeverTakeAClientPastItsLimitAndGiveEverySlotBack() throws Exception {
        int limit = 5;
        ClientShares shares = new ClientShares(limit, 2);
        AtomicInteger mostSeen = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int client = t % 3; // three clients in a table of two: forgetting and re-adding race with counting
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    ClientShares.Share share;
                    try {
                        share = shares.acquire("client-" + client, 2);
                    } catch (StatusRuntimeException refused) {
                        continue;
                    }
                    mostSeen.accumulateAndGet(share.get(), Math::max);
                    shares.release(share, 2);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertTrue(mostSeen.get() <= limit, "a share reached " + mostSeen.get() + " slots");
        for (int client = 0; client < 3; client++) {
            int c = client;
            assertDoesNotThrow(() -> shares.acquire("client-" + c, limit), "client-" + c + " did not get its share back");
        }
    }
}
