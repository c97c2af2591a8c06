package io.vers.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IndexLockTest {
  @Test
  void closingTheGateHoldsWritersButNotReadersEvenWithAWriterWaiting() throws Exception {
    IndexLock lock = new IndexLock();
    assertTrue(lock.lockWriters());
    CountDownLatch written = new CountDownLatch(1);
    Thread writer = new Thread(() -> {
      lock.lockWrite();
      lock.unlockWrite();
      written.countDown();
    });
    writer.start();
    while (writer.getState() == Thread.State.NEW || writer.getState() == Thread.State.RUNNABLE) {
      Thread.sleep(1);
    }
    CountDownLatch read = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      lock.lockRead();
      lock.unlockRead();
      read.countDown();
    });
    reader.start();
    assertTrue(read.await(30, TimeUnit.SECONDS), "a reader waited behind a writer at a closed gate");
    assertFalse(written.await(100, TimeUnit.MILLISECONDS), "a writer passed a closed gate");
    assertThrows(IllegalStateException.class, lock::lockWrite, "the gate's holder cannot write");
    lock.unlockWriters();
    assertTrue(written.await(30, TimeUnit.SECONDS));
    writer.join();
  }

  @Test
  void aThreadThatAlreadyKeepsWritersOutDoesNotCloseTheGate() {
    IndexLock lock = new IndexLock();
    lock.lockRead();
    assertFalse(lock.lockWriters(), "a search's filter");
    lock.unlockRead();
    lock.lockWrite();
    assertFalse(lock.lockWriters(), "a writer's progress listener");
    lock.unlockWrite();
    assertTrue(lock.lockWriters());
    lock.unlockWriters();
  }

  @Test
  void theGateWaitsForTheRunningWriter() throws Exception {
    IndexLock lock = new IndexLock();
    lock.lockWrite();
    CountDownLatch closed = new CountDownLatch(1);
    Thread snapshot = new Thread(() -> {
      assertTrue(lock.lockWriters());
      closed.countDown();
      lock.unlockWriters();
    });
    snapshot.start();
    assertFalse(closed.await(100, TimeUnit.MILLISECONDS), "the gate closed while a writer ran");
    lock.unlockWrite();
    assertTrue(closed.await(30, TimeUnit.SECONDS));
    snapshot.join();
  }
}
