import DehubCLI

await DehubCommand.main()
