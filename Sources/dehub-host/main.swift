import DehubHost

await DehubHostCommand.runMain()
