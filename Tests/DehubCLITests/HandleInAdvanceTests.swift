import DehubCore
import DehubGit
import DehubTestSupport
import Synchronization
import Testing

@testable import DehubVerification

/// The second worker's repository handle, opened on another thread while the hook still walks the push.
@Suite struct HandleInAdvanceTests {
    private struct CannotOpen: Error, Equatable {}

    @Test func handsOutTheHandleOpenedInAdvanceThenOpensNewOnes() throws {
        let fixture = try GitFixture.make()
        let tip = try fixture.commit("c1")
        let path = fixture.path
        let opens = Atomic<Int>(0)
        let handle = HandleInAdvance {
            opens.add(1, ordering: .relaxed)
            return try GitRepository.open(path: path)
        }
        let first = try handle.take()
        #expect(try first.hasObject(#require(ObjectID(hex: tip))))
        #expect(opens.load(ordering: .relaxed) == 1)
        let second = try handle.take()
        #expect(first !== second)
        #expect(opens.load(ordering: .relaxed) == 2)
        handle.finish()
        #expect(opens.load(ordering: .relaxed) == 2, "finishing after the handle was taken opens nothing")
    }

    @Test func finishingUntakenWaitsForTheOpening() throws {
        let fixture = try GitFixture.make()
        try fixture.commit("c1")
        let path = fixture.path
        let opens = Atomic<Int>(0)
        let handle = HandleInAdvance {
            opens.add(1, ordering: .relaxed)
            return try GitRepository.open(path: path)
        }
        handle.finish()
        #expect(opens.load(ordering: .relaxed) == 1, "the opening ran to its end before finish returned")
        #expect(throws: Never.self) { try handle.take() }
    }

    @Test func aFailedOpeningIsThrownByTake() {
        let handle = HandleInAdvance { throw CannotOpen() }
        #expect(throws: CannotOpen()) { try handle.take() }
        #expect(throws: CannotOpen()) { try handle.take() }
        handle.finish()
    }
}
