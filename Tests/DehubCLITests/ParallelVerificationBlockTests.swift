import Testing

@testable import DehubVerification

/// How `ParallelVerification` hands out work: runs of consecutive commits, small enough next to the whole that the
/// workers finish together (a 300-commit push in blocks of 128 left one of two workers with 172 commits).
@Suite struct ParallelVerificationBlockTests {
    @Test func blocksAreBoundedRunsOfConsecutiveItems() {
        for workers in 1...8 {
            for items in [0, 1, 7, 64, 65, 300, 1_000, 10_000, 1_000_000] {
                let block = ParallelVerification.block(items: items, workers: workers)
                #expect((8...128).contains(block), "\(items) items, \(workers) workers: \(block)")
            }
        }
        #expect(ParallelVerification.block(items: 100_000, workers: 2) == 128, "long histories keep long runs")
    }

    /// Blocks are taken in order by whichever worker is free, so the busiest worker ends at most one block after the
    /// others: for a push of a few hundred commits that is a small part of its share.
    @Test func theLastBlockIsASmallPartOfAWorkersShare() {
        for items in [300, 500, 1_000, 2_000] {
            let block = ParallelVerification.block(items: items, workers: 2)
            #expect(block * 8 <= items, "\(items) items: blocks of \(block)")
        }
    }
}
