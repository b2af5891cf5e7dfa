"""The words that tell a story's topic, per language, with their weights.

Each entry is a word as written (it is folded and stemmed in its language when the tables are
built, so one form stands for its plurals and inflections), ``word:W`` for a weight other than 2
(3: nearly decides the topic; 1: a hint), ``a_b`` for a phrase of up to three words (a phrase
that matches hides its words: "Labour Party" is politics, not labour), and in German ``*word``
also as the last part of a compound ("Warnstreik", "Bürgerkrieg", "Bundestagswahl").
"""

from __future__ import annotations

LEXICON: dict[str, dict[str, str]] = {
    "en": {
        "labour": """
            strike:3 strikes:3 striking:3 striker:3 strikebreakers:3 general_strike:3
            union:3
            unions:3 unionize:3 unionise:3 unionization:3 trade_union:3 labour_union:3
            labor_union:3 worker:2 workers:2 workforce:2 workplace:3 workplaces:3 wage:3
            wages:3
            minimum_wage:3 salary:2 salaries:2 pay:1 layoff:3 layoffs:3 laid_off:3
            employer:2 employers:2 employee:2 employees:2 job:1 jobs:1 unemployment:2
            picket:3
            picketing:3 walkout:3 walked_off:3 walk_out:3 stoppage:3 industrial_action:3
            collective_bargaining:3 bargaining:2 organizing:2 organising:2 organizer:2
            organise:2 organize:2 dockworkers:3 dockers:3 miners:2 teachers:1 nurses:1
            truckers:2 drivers:1 overtime:2 gig:2 labour:2 labor:2 rank_and_file:3
            shop_steward:3 go_slow:3 unpaid:2 workers_control:3 working_class:2
            tech_worker:3
            coworker:3 coworkers:3 colleagues:1 fired:1 plantation:1 factory:2
            factories:2
            pension:1 pensions:1 apprentices:2 boss:2 bosses:2 exploitation:2
            trade_unionist:3 unionists:3 labor_shortage:3 labour_shortage:3
            workers_rights:3 pay_rise:3 pay_raise:3 pay_deal:3 pay_dispute:3 staffing:2
            jobless:2 unemployed:2 employment:2 gig_workers:3 warehouse_workers:3
            sweatshop:3 child_labour:3 child_labor:3 forced_labour:3 forced_labor:3
            working_conditions:3 labour_rights:3 labor_rights:3 four_day_week:3
            retirement_age:3 hiring:1 staff:1 unemployment_rate:3
        """,
        "politics": """
            election:3 elections:3 electoral:3 elect:2 elected:2 vote:2 votes:2 voters:2
            ballot:2 referendum:3 runoff:3 parliament:3 parliamentary:3 congress:2
            senate:2
            senator:2 party:1 parties:1 government:2 governments:2 governing:2
            ruling_party:3
            minister:2 ministers:2 prime_minister:3 president:2 presidential:3
            presidency:2
            cabinet:2 coalition:2 opposition:2 campaign:1 candidate:2 candidates:2
            democrats:2
            republicans:2 democratic_party:3 republican_party:3 labour_party:3
            labor_party:3
            communist_party:3 conservative:2 conservatives:2 liberal:1 left:1 leftist:2
            left_wing:2 right_wing:2 far_right:2 far_left:2 fascism:2 fascist:2
            populist:2
            politics:3 political:2 politician:2 politicians:2 impeach:3 impeachment:3
            coup:3
            junta:3 regime:2 dictatorship:2 dictator:2 dictatorial:2 lawmaker:2
            lawmakers:2
            legislature:2 legislation:1 bill:1 mayor:2 governor:2 chancellor:2
            diplomacy:3
            diplomat:3 diplomats:3 diplomatic:3 ambassador:3 embassy:2 envoy:3 envoys:3
            foreign_minister:3 foreign_ministry:3 summit:2 sanctions:1 corruption:2
            scandal:1
            resign:2 resignation:2 constitution:2 constitutional:2 socialism:1
            socialist:1
            communist:1 protest:1 protests:1 sworn_in:3 oust:3 ousts:3 ousted:3 reform:1
            reforms:1 policy:1 democracy:2 democratic:1 authoritarian:2 state:1
            kremlin:2
            white_house:2 trump:1 putin:1 macron:1 biden:1 european_union:2
            african_union:2
            soviet_union:1 international_relations:3 rules_based_order:3 extremist:1
            civilian_rule:3 ideology:1 imperialism:1 anti_imperialism:2 sovereignty:2
            nationalist:2 talks:1 negotiations:2 negotiators:2 independence:2 brexit:3
            navalny:2 afd:3 gop:3 tories:3 cdu:3
            bilateral:2 diplomatic_relations:3 state_visit:3 foreign_policy:3
            geopolitics:3 geopolitical:3 premier:2 mps:2 legislative:2
            trump_administration:2 downing_street:2 bundestag:3 duma:3 congresswoman:2
            congressman:2 senators:2 regime_change:3 opposition_leader:3
            vice_president:2 security_council:3 united_nations:2 g7:3 g20:3 brics:2
            populism:2 secretary_of_state:3 state_department:3 foreign_office:3
            relations:1 administration:1 polls:2 poll:1 voting:2 electorate:3
            incumbent:2 statesman:3 cabinet_minister:3 legislators:2 assembly:1
            speaker:1 visa:1 visas:1 nuclear_talks:2 sanction:1 beijing:1 politburo:3
            succession:2 supreme_leader:3 monarchy:2 ruler:2 reformist:2 hardliner:2
            hardliners:2
        """,
        "war": """
            war:3 wars:3 warfare:3 military:3 army:3 troops:3 soldier:3 soldiers:3
            militia:2
            militias:2 invasion:3 invade:3 invaded:3 occupation:2 occupied:2
            occupied_territories:3 ceasefire:3
            cease_fire:3 armistice:3 peace_talks:3 peace_process:3 peace:2 airstrike:3
            airstrikes:3 air_strike:3 missile:3 missiles:3 drone:2 drones:2 bomb:2
            bombs:2
            bombing:3 bombings:3 shelling:3 artillery:3 weapons:2 weapon:2 arms:2
            arms_deal:3
            nuclear:1 nuclear_weapons:3 fighter_jet:3 fighter_jets:3 navy:2 naval:2
            air_force:3 defense:2 defence:2 nato:3 pentagon:2 battle:2 battlefield:3
            frontline:3 front_line:3 offensive:2 insurgents:3 insurgency:3 rebels:2
            guerrilla:2 jihadist:3 jihadists:3 islamic_state:3 isis:3 hamas:2
            hezbollah:2
            terror:2 terrorist:3 terrorists:3 terrorism:3 attack:1 attacks:1
            casualties:2
            genocide:3 sabotage:2 disarmament:3 hostages:2 hostage:2 gaza:2 conflict:2
            conflicts:2 armed:2 armed_conflict:3 espionage:2 annexation:2 annex:2
            west_bank:2 rafale:3 imperialist:2 shadow_war:3 strike_on:3 strikes_on:3
            us_strikes:3 military_strikes:3 missile_strikes:3 drone_strikes:3
            conducts_strikes:3 conducted_strikes:3 carried_out_strikes:3 nuclear_talks:2
            nuclear_program:3 nuclear_test:3 nuclear_deal:2 self_defense:0
            self_defence:0 territorial:2 fleet:2 warship:3 warships:3 wage_war:3
            waging_war:3
            wage_a:1 conspiracy_theory:0 arms_race:3 military_intervention:3
            killed:1 civilians:1 civilian_deaths:2 security:1 plot:1 explosives:2
            peacekeepers:3 peacekeeping:3 admiral:3 commander:2 military_parade:3 tank:2
            tanks:2 think_tank:0 think_tanks:0 warplane:3 warplanes:3 gunmen:2
            militants:3 militant:2 air_defense:3 air_defence:3 defense_spending:3
            defence_spending:3 defense_minister:3 defence_minister:3 defense_ministry:3
            defence_ministry:3 flashpoint:2 escalation:2 hostilities:3 troop:3
            paramilitary:3 paramilitaries:3 taliban:2 houthi:2 houthis:2 al_qaeda:3
            al_shabaab:3 boko_haram:3 war_crimes:3 mercenaries:3 ammunition:3
            munitions:3 nuclear_weapon:3 siege:2 besieged:2 shelled:3 shells:1 rocket:2
            rockets:2 grenade:2 sniper:3 combat:3 invading:3 occupying:2 annexed:3
            militarisation:3 militarization:3 rearmament:3 army_chief:3 generals:2
            battalion:3 brigade:2 submarine:3 submarines:3 aircraft_carrier:3
            drone_attack:3 drone_strike:3 killed_in:1 armed_forces:3 security_forces:1
            insurgent:3 jihadi:3 terror_attack:3 terror_plot:3 massacre:1
            ceasefire_talks:3 truce:3
        """,
        "economy": """
            economy:3 economic:3 economies:3 economist:2 economists:2 inflation:3
            prices:3
            price:2 cost_of_living:3 market:2 markets:2 stock:2 stocks:2 shares:1
            investors:2
            investment:2 investments:2 bank:2 banks:2 banking:2 central_bank:3
            interest_rates:3
            debt:3 debts:3 loan:2 loans:2 imf:3 world_bank:3 budget:3 budgets:3
            austerity:3
            taxes:2 tax:2 trade:2 tariff:3 tariffs:3 exports:3 imports:2 gdp:3 growth:1
            recession:3 crisis:1 financial:2 finance:2 profits:3 profit:2 capitalism:1
            capitalist:1 company:2 companies:2 corporation:2 corporations:2 firm:1
            firms:1
            billion:1 business:2 businessman:2 industry:1 industries:1 bankrupt:3
            bankruptcy:3 currency:3 bitcoin:3 crypto:3 oil_prices:3 oil_trade:3 fuel:1
            retail:2
            retailer:2 consumers:2 consumer:2 deal:1 privatisation:2 privatization:2
            nationalise:2 nationalize:2 nationalization:2 nationalisation:2
            expropriate:2
            bailout:3 dollar:2 dividends:3 subsidies:2 poverty:2 inequality:2 wealth:2
            income:2 basic_income:3 multinationals:2 multinational:2 monopoly:2
            products:1 commercial:2 contract:1 shipbuilder:2 deposits:3 pound:1
            chokepoint:2
            agriculture:2 agricultural:2 harvest:1 electricity:1 energy_prices:3
            manufacturing:2 supply_chain:3 supply_chains:3 stock_market:3 wall_street:3
            ipo:3 shareholders:3 shareholder:3 ceo:1 merger:3 acquisition:2 takeover:2
            startup:1 startups:1 revenue:3 revenues:3 earnings:2 sales:1 housing:1
            rent:1 rents:1 mortgage:2 mortgages:2 interest_rate:3 rate_cut:3 rate_hike:3
            federal_reserve:3 ecb:3 fiscal:3 deficit:3 spending:1 subsidy:2 tourism:2
            export:2 economic_growth:3 costs:1 trade_war:3 trade_deal:3 investor:2
            invest:2 billionaire:2 billionaires:2 tycoon:2 oligarch:2 oligarchs:2 oil:1
            gas_prices:3 energy:1 commodity:2 commodities:3 gold:1 bonds:2 bond:1
            yields:2 valuation:3 brand:1 brands:1 retailers:2 consumer_prices:3
            economy_ministry:3 finance_minister:3 treasury:2 wages:1 unemployment:1
            layoffs:1 jobs_report:3 exchange_rate:3 yuan:2 rupee:2 peso:2 ruble:2
            rouble:2 euro:1 funds:1 fund:1 investment_fund:3 hedge_fund:3
            sovereign_wealth_fund:3 cryptocurrency:3 fintech:2 insurance:1 insurer:2
            airline:1 airlines:1 automaker:2 carmaker:2 chipmaker:2 semiconductor:2
            semiconductors:2 shipping:1 freight:2 cargo:1 port:1 economic_crisis:3
        """,
        "environment": """
            climate:3 climate_change:3 global_warming:3 emissions:3 carbon:3 pollution:3
            polluted:3 pesticide:3 pesticides:3 toxic:2 chemicals:2 ecological:3
            ecology:3
            ecologically:3 environment:3 environmental:3 biodiversity:3 species:2
            deforestation:3 forest:2 forests:2 wildfire:3 wildfires:3 flood:3 floods:3
            flooding:3 drought:3 cyclone:3 cyclones:3 hurricane:3 typhoon:3 earthquake:3
            tsunami:3 avalanche:3 blizzard:2 storm:2 disaster:2 heatwave:3
            renewable_energy:3 renewable_energies:3
            renewable_power:3 solar:2 wind_power:3
            fossil_fuels:3 fossil:2 coal:2 pipeline:2 fracking:3 oil_spill:3 plastic:2
            waste:2
            glacier:2 glaciers:2 extinction:3 wildlife:3 eco:3 green_new_deal:3
            greenhouse:3
            ecosocialism:3 poisoned:1 sterility:1
            heatwaves:3 heat_wave:3 rainfall:2 landslide:3 landslides:3 volcano:3
            eruption:2 tornado:3 monsoon:2 bushfire:3 bushfires:3 air_pollution:3 smog:3
            endangered:2 coral:2 reef:2 ocean:1 oceans:1 net_zero:3
            clean_energy:3 electric_vehicles:1 nuclear_power:2 emission:3
            climate_crisis:3 climate_summit:3 extreme_weather:3 heat:1
            water_shortage:3 wildfire_smoke:3 sea_level:3 sea_levels:3 melting:2
            ice_sheet:3 rainforest:3 amazon_rainforest:3 logging:2 mining:1 spill:2
            contamination:3 contaminated:3 sewage:3 green_energy:3 environmentalists:3
            environmentalist:3 animals:1 whales:2 whale:2 birds:1
            conservation:2 conservationists:3
            firefighters:2 blaze:2 blazes:2 fire_crews:2 evacuated:1 evacuations:1
        """,
        "rights": """
            rights:2 human_rights:3 civil_rights:3 civil_liberties:3 repression:3
            repressive:3
            crackdown:3 police:1 police_violence:3 police_brutality:3 police_killing:3
            police_crackdown:3 policing:1 cops:1 arrested:1 arrest:1 arrests:1
            detained:2 trafficked:3 trafficking:3 sex_trafficking:3 sexual_assault:3
            assaulted:2
            detention:3 prison:2 prisons:2 prisoners:2 political_prisoners:3 jailed:2
            jail:2
            torture:3 censorship:3 censored:3 press_freedom:3 free_speech:3 freedom:1
            racism:3 racist:3 racial:3 discrimination:3 sexism:3 women:2 feminist:3
            feminism:3 gender:2 abortion:3 reproductive_rights:3 lgbt:3 lgbtq:3 gay:3
            lesbian:3 transgender:3 queer:3 homophobia:3 migrant:3 migrants:3
            migration:3
            refugee:3 refugees:3 asylum:3 asylum_seekers:3 deport:3 deportation:3
            deportations:3 deported:3 deports:3 expulsions:3 immigration:3 immigrants:3
            xenophobia:3 islamophobia:3 anti_muslim:3 antisemitism:3 semitism:3 rape:3
            sexual_violence:3 sexual_misconduct:3 violence:1 sedition:3 foreign_agent:3
            foreign_agents:3 surveillance:2 dissent:2 dissident:3 dissidents:3
            activist:1
            activists:1 death_squads:3 extrajudicial:3 death_penalty:3 indigenous:2
            apartheid:3 oppression:3 persecution:3 tear_gas:3 riot_police:3
            security_forces:2
            massacre:2 atrocities:2 curbs:1 violations:2 infiltrated:2 undercover:2
            undercover_operation:3 navalny:2 inquisition:1 slain_protesters:3
            protesters:1
            equality:2 slavery:2 segregation:3 black_lives_matter:3 hate_crime:3
            hate_crimes:3 hate_speech:3 minorities:2 minority:2 ethnic_minority:3
            immigration_raids:3 border_patrol:2 due_process:3 political_prisoner:3
            amnesty:2 amnesty_international:3 human_rights_watch:3 rights_groups:3
            rights_group:3 freedom_of_speech:3 sexual_harassment:3 harassment:2
            domestic_violence:3 femicide:3 trans:2 same_sex:3 gay_marriage:3 equal_pay:3
            civil_rights_leader:3 civil_rights_movement:3 demonstrators:2
            protest_crackdown:3 riot:1 riots:2 police_shooting:3 imprisoned:3
            imprisonment:3 sentenced:1 prisoner:2 political_repression:3
            enforced_disappearance:3 minority_rights:3 religious_freedom:3 persecuted:3
            journalists:1 journalist_arrested:3 stateless:3 asylum_seeker:3
            undocumented:3 visa_ban:1
        """,
        "theory": """
            marx:3 marxist:3 marxism:3 marxists:3 eco_marxism:3 cultural_revolution:2
            lenin:3 leninism:3 trotsky:3
            trotskyism:3 engels:3 hegel:3 dialectics:3 dialectical:3
            historical_materialism:3 philosophy:3 philosopher:3 ideology:2 ideological:2
            theory:3 theoretical:3 theorist:3 theorists:3 history:2 historian:3
            historical:2
            anniversary:1 centenary:3 remembering:3 commemoration:2 review:1
            book_review:3
            memoirs:1 biography:2 essay:2 classics:2 paris_commune:3
            russian_revolution:3
            october_revolution:3 bolshevik:3 bolsheviks:3 stalinism:3 fanon:2 gramsci:3
            luxemburg:3 kropotkin:3 anarchist:2 anarchism:3 intellectual:2
            perspective:1 revolutionary_theory:3 messianism:2 read:1 reading:1
            the_left:1
            historians:3 century:1 centuries:1 colonialism:2 colonial:1 revolution:1
            revolutions:1 class_struggle:3 political_economy:3 manifesto:2
            intellectuals:2 thinker:3 thinkers:3 scholar:2 scholarship:2 archive:1
            archives:1 lecture:2 talk_given:1
        """,
        "culture": """
            art:2 arts:3 artist:3 artists:3 film:3 films:3 movie:3 movies:3 cinema:3
            festival:2 film_festival:3 music:3 musician:3 song:3 songs:3 singer:3
            singing:3
            band:2 concert:3 concerts:3 album:3 tour:1 theatre:3 theater:3 novel:3
            novelist:3
            poet:3 poetry:3 poem:3 literature:3 literary:3 writer:2 book:2 books:2
            painter:3 painting:3 exhibition:3 museum:3 gallery:2 actor:3 actress:3
            actors:3
            tv:2 television:3 episode:2 video_game:3 gaming:3 sport:3 sports:3
            football:3
            soccer:3 league:3 coach:2 player:2 players:2 championship:3 tournament:3
            world_cup:3
            olympic:3 olympics:3 paralympics:3 winter_games:3 athlete:3 athletes:3
            medal:3
            medals:3 skater:3 skating:3 figure_skating:3 grand_prix:3 cycling:3 tennis:3
            boxing:3 formula_one:3 media:2 journalism:2 newspaper:3 broadcaster:3
            radio:2
            podcast:2 social_media:1 carnival:3 dance:3 comedy:3 eurovision:3 netflix:2
            hollywood:3 oscar:3 opera:3 zine:1 games:1 orchestra:3 pop:2
            street_parties:3 culture:3 cultural:2 entertainment:3 gala:3 memoir:2
            spectators:2
            doping:2 paper:1 public_broadcaster:3 public_television:3 washington_post:2
            short_program:3 medal_contender:3
            celebrity:3 celebrities:3 fans:2 rapper:3 rap:2 hip_hop:3 k_pop:3 pop_star:3
            supermodel:3 fashion:2 influencer:2 streaming:2 streamer:2
            box_office:3 trailer:2 game:1 video_games:3 videogame:3 playstation:3 xbox:3
            nintendo:3 esports:3 cricket:3 rugby:3 basketball:3 baseball:3 nba:3 nfl:3
            golf:3 marathon:2 midfielder:3 goalkeeper:3 stadium:3 fifa:3 uefa:3
            champions_league:3 premier_league:3 grammy:3 grammys:3 emmy:3 emmys:3
            bafta:3 cannes:2 bestseller:3 comic:2 comics:2 manga:3 photography:3
            photographer:3 architecture:2 heritage:2 documentary:3 screenwriter:3
            sculpture:3 ballet:3 choir:3 toy:2 toys:2 viral:1 internet_sensation:3
            meme:2 tiktok:1 youtube:1 instagram:1 instagram_post:2 chef:1 cuisine:2
            recipe:2 cookbook:3 playwright:3 singer_songwriter:3 rock:1 jazz:3 drama:2
            sitcom:3 filmmaker:3 director:1 biopic:3 oscars:3 golden_globes:3 champion:2
            champions:2 semifinal:3 quarterfinal:3 league_title:3 scored:2 skier:3
            skiing:3 swimmer:3 sprinter:3 f1:3 racing:2 wimbledon:3 chess:3
            chess_champion:3
            premiere:3 anime:3
            festivities:2 festival_goers:3 parade:1 new_year_celebrations:3 comedian:3
            comedians:3 stand_up:2 actress_:3 filming:2
        """,
        "other": """
            covid:3 coronavirus:3 pandemic:2 vaccine:3 vaccines:3 vaccination:3 virus:2
            measles:3 ebola:3 outbreak:2 disease:2 cancer:3 hospital:2 hospitals:2
            patients:2 doctors:2 health:2 medical:2 medicine:2 study:1 scientists:2
            researchers:2 science:2 astronomers:3 nasa:3 planet:2 smartphone:3 iphone:3
            app:2 apps:2 software:2 chatbot:2 murder:3 murdered:3 homicide:3 stabbing:3
            stabbed:3 shooting:2 shooter:3 robbery:3 burglars:3 heist:3 theft:2 stolen:2
            suspect:2 scam:2 accident:2 drowned:2 drowns:2 love:1 dating:2 hotel:2
            holiday:2 travel:2 weather:2 forecast:2 obituary:2 dies_aged:1 missing:1
            aliens:2 ufo:3
            health_minister:3 health_ministry:3 disappearance:2 kidnapped:2 kidnapping:2
            abducted:2 abduction:2 abductions:2 food_scene:3 foodie:3 restaurants:2
        """,
    },
    "de": {
        "labour": """
            streik:3 streiks:3 streiken:3 *streik:3 warnstreik:3 generalstreik:3
            gewerkschaft:3
            gewerkschaften:3 *gewerkschaft:3 gewerkschaftlich:3 arbeiter:2
            arbeiterinnen:2
            arbeitnehmer:2 beschaftigte:2 beschaftigten:2 belegschaft:3 lohn:3 lohne:3
            *lohn:2 gehalt:2 tarif:3 tarifvertrag:3 tarifverhandlungen:3 mindestlohn:3
            entlassungen:1 kundigung:2 stellenabbau:3 arbeitsplatze:2 arbeitsplatz:2
            betriebsrat:3 kurzarbeit:3 arbeitslosigkeit:2 arbeitslose:2 ausstand:3
            verdi:3
            ig_metall:3 gdl:3 lokfuhrer:2 fabrik:2 werk:1 beschaftigung:2
            arbeitskampf:3 tarifstreit:3 tarifrunde:3 lohnerhohung:3 gehalter:2
            angestellte:2 mitarbeiter:2 mitarbeitende:2 personal:1 personalmangel:2
            fachkraftemangel:2 pflegekrafte:2 pflegepersonal:2 lehrer:1 erzieher:1
            arbeitszeit:3 uberstunden:3 homeoffice:2 arbeitgeber:3 arbeitgeberverband:3
            jobabbau:3 jobs:1 entlassen:2 rente:2 renten:2 rentner:1 rentenalter:3
            tarifbeschaftigte:3 tarifabschluss:3 gewerkschafter:3 dgb:3 eisenbahner:3
            lokfuhrergewerkschaft:3 arbeitsbedingungen:3 arbeitsrecht:3 ausbeutung:2
            leiharbeit:3 minijob:3 burgergeld:2 hartz:2 arbeitslosengeld:3
            arbeitsagentur:3 arbeitsmarkt:2
        """,
        "politics": """
            wahl:3 wahlen:3 *wahl:3 wahlkampf:3 partei:2 parteien:2 parteitag:3
            regierung:2
            bundesregierung:3 minister:2 ministerin:2 ministerprasident:3 kanzler:3
            kanzlerin:3 kanzlerkandidat:3 kanzlerkandidatin:3 bundestag:3 parlament:3
            abgeordnete:2 prasident:2 bundesprasident:2 opposition:2 koalition:3 grune:2
            grunen:2 spd:3 cdu:3 csu:3 fdp:3 afd:3 linke:2 politik:2 politisch:2
            politiker:2
            politikerin:2 diplomatie:3 botschafter:3 gipfel:2 putsch:3 rucktritt:2
            korruption:2 verfassung:2 demokratie:2 baerbock:2 laschet:2 scholz:2
            merkel:2
            soder:2 *politik:2 lebenslauf:1
            bundesrat:3 landtag:3 landtagswahl:3 kommunalwahl:3 europawahl:3
            burgermeister:2 oberburgermeister:2 ministerium:2 staatssekretar:2
            aussenminister:3 aussenministerin:3 bundeskanzler:3 regierungschef:3
            regierungschefin:3 staatschef:3 premierminister:3 premierministerin:3
            diplomat:3 diplomaten:3 diplomatisch:3 diplomatische:3 beziehungen:1
            staatsbesuch:3 gesprache:1 verhandlungen:2 sanktionen:2 abstimmung:2
            gesetz:1 gesetzentwurf:2 reform:1 koalitionsvertrag:3 ampel:2 union:1
            kreml:2 biden:2 putin:1 trump:1 macron:1 selenskyj:1 populist:2 populisten:2
            rechtspopulisten:2 rechtsextrem:2 rechtsextreme:2 demonstration:1 proteste:1
            eu_kommission:3 europaparlament:3 uno:2 un_sicherheitsrat:3 sicherheitsrat:3
            senat:2 kongress:2 abgeordneter:2 fraktion:3 fraktionschef:3 parteichef:3
            parteichefin:3 vorsitzende:1 spitzenkandidat:3 umfrage:2 umfragen:2 wahler:3
            wahlerinnen:3 wahlergebnis:3 ministerprasidentin:3 landesregierung:3
            senatorin:2 regierungssprecher:3 bundesinnenminister:3 innenminister:3
            innenministerin:3 finanzminister:2 wirtschaftsminister:2
            gesundheitsminister:2 kanzleramt:3 schloss_bellevue:3 steinmeier:2 habeck:2
            lindner:2 weidel:2 wagenknecht:2 bsw:3 merz:2 pistorius:1
        """,
        "war": """
            krieg:3 kriege:3 *krieg:3 militar:3 militarisch:3 armee:3 bundeswehr:3
            soldaten:3
            soldat:3 truppen:3 waffen:2 waffenhersteller:3 *waffen:2 rustung:3
            waffenruhe:3
            waffenstillstand:3 friedensgesprache:3 frieden:2 angriff:2 anschlag:3
            anschlage:3
            terror:3 terroranschlag:3 rakete:3 raketen:3 bombe:2 luftangriff:3
            luftangriffe:3 beschuss:3 invasion:3 besatzung:3 nato:3 hamas:2
            nahostkonflikt:3
            nahost:2 konflikt:2 eskalation:2 eskalationen:2 gaza:2 kampfe:3 front:1
            panzer:3 *panzer:3 kampfjet:3 kampfjets:3 marine:2 luftwaffe:3
            streitkrafte:3 verteidigung:2 verteidigungsminister:3
            verteidigungsministerin:3 verteidigungsausgaben:3 militante:3 miliz:3
            milizen:3 rebellen:3 taliban:2 islamisten:3 dschihadisten:3 gefechte:3
            kampfer:2 drohne:2 drohnen:2 *drohne:2 geiseln:2 geisel:2
            waffenlieferungen:3 besatzer:3 kriegsverbrechen:3 atomwaffen:3
            friedenstruppe:3 blauhelme:3 militarparade:3 raketenangriff:3 angriffe:2
            ukraine:1 russland:1 frontlinie:3 offensive:2 truppenabzug:3 einmarsch:3
            besetzt:2 besetzten:2 annexion:3 wehrpflicht:3 aufrustung:3 sondervermogen:2
            ruckeroberung:3 getotet:1 tote:1 zivilisten:2 kriegsgebiet:3 kriegsende:3
            friedensverhandlungen:3 waffenstillstandsabkommen:3 bomben:2 explosion:1
            sprengsatz:2 schusswaffengebrauch:2 militanter:3 palastinenser:1
            israelische_armee:3 idf:3 hisbollah:2 huthi:2
        """,
        "economy": """
            wirtschaft:3 *wirtschaft:3 wirtschaftlich:3 inflation:3 preise:3 preis:2
            markt:2
            markte:2 borse:3 aktie:3 aktien:3 anleger:3 investoren:2 geldgeber:3 bank:2
            banken:2 zentralbank:3 ezb:3 zinsen:3 schulden:3 haushalt:2 steuer:2
            steuern:2
            handel:2 zolle:3 export:3 exporte:3 konjunktur:3 rezession:3 krise:1
            unternehmen:2 konzern:3 konzerne:3 firma:2 gewinn:3 gewinne:3 umsatz:3
            insolvenz:3 pleite:3 milliarden:1 millionen:1 euro:1 dollar:1 einzelhandel:3
            tourismus:2 bitcoin:3 geld:2
            immobilien:2 mieten:2 miete:2 mietshauser:2 wohnungen:1 wohnungsmarkt:3
            immobilienunternehmen:3 eigentumswohnungen:2 investition:2 investitionen:2
            haushaltsdefizit:3 defizit:2 staatsschulden:3 schuldenbremse:3 wachstum:2
            bip:3 bruttoinlandsprodukt:3 zinserhohung:3 leitzins:3 verbraucher:2
            kunden:1 preiserhohung:3 energiepreise:3 strompreis:3 strompreise:3
            gaspreis:3 gaspreise:3 aktionare:3 dax:3 konsum:2 autoindustrie:2
            autobauer:2 hersteller:1 subventionen:2 forderung:1 kryptowahrung:3
            kryptowahrungen:3 handelsstreit:3 lieferketten:3 fusion:2 ubernahme:2
            borsengang:3 milliardar:2 konzernchef:2 manager:1 unternehmer:2
            mittelstand:3 wirtschaftskrise:3 finanzkrise:3 finanzen:3 finanz:2 kredit:2
            kredite:2 sparkasse:2 versicherung:1 versicherer:2 rendite:3 dividende:3
            quartal:2 bilanz:2 einnahmen:2 ausgaben:1 staatshaushalt:3 bundeshaushalt:3
            verkauf:1 verkauft:1 supermarkt:2 lebensmittelhandler:2 discounter:2
            kaufen:1 preisen:2 teurer:3 gunstiger:1 lebensmittelpreise:3 spritpreise:3
            benzinpreis:3 strafzolle:3 exportiert:2 wirtschaftsleistung:3 industrie:2
            landwirtschaft:2 landwirte:1 bauern:1 tourismusbranche:3 luftfahrt:1
            lufthansa:1 vw:2 volkswagen:2 bmw:1 daimler:1 tesla:1 startup:1 start_up:1
        """,
        "environment": """
            klima:3 klimawandel:3 klimaschutz:3 *klima:3 umwelt:3 umweltschutz:3
            *umwelt:3
            emissionen:3 co2:3 verschmutzung:3 giftstoffe:3 giftig:3 chemikalien:2
            pestizide:3 hochwasser:3 uberschwemmung:3 durre:3 waldbrand:3 waldbrande:3
            sturm:2 erdbeben:3 katastrophe:2 naturkatastrophe:3 erneuerbar:3 kohle:2
            kohleausstieg:3 atomkraft:2 kurzstreckenfluge:3 billigfluge:3 artensterben:3
            entsorgung:2 plastik:2
            hitze:2 hitzewelle:3 unwetter:3 flut:3 flutkatastrophe:3 uberflutung:3
            uberschwemmungen:3 erdrutsch:3 vulkan:3 vulkanausbruch:3 tornado:3 orkan:3
            artenschutz:3 naturschutz:3 tierschutz:2 luftverschmutzung:3 feinstaub:3
            energiewende:3 solar:2 windkraft:3 windrader:3 erneuerbare:3 elektroauto:1
            treibhausgase:3 klimaziele:3 wald:1 walder:2 meeresspiegel:3 gletscher:3
            naturschutzer:3 umweltschutzer:3 klimaaktivisten:3 letzte_generation:3
            fridays_for_future:3 greenpeace:3 nabu:3 bund_naturschutz:3 atomausstieg:3
            kernkraft:2 wasserstoff:2 heizungsgesetz:2 oko:2 okologisch:3 nachhaltig:2
            nachhaltigkeit:2 insekten:2 bienen:2 starkregen:3 gewitter:2 schnee:1
            glatteis:2 wetter:1 temperaturen:2 trockenheit:3 waldsterben:3
        """,
        "rights": """
            menschenrechte:3 rechte:2 polizei:1 polizisten:1 polizeigewalt:3 festnahme:1
            festgenommen:1 verhaftet:1 haft:2 gefangnis:2 repression:3 unterdruckung:3
            zensur:3
            pressefreiheit:3 rassismus:3 rassistisch:3 diskriminierung:3
            antisemitismus:3
            antisemitisch:3 frauen:2 frauenrechte:3 feminismus:3 abtreibung:3
            gleichberechtigung:3 lgbt:3 queer:3 homosexuell:3 fluchtlinge:3
            gefluchtete:3
            migranten:3 migration:3 asyl:3 abschiebung:3 abgeschoben:3 folter:3
            uberwachung:2 menschenrechtler:3
            fluchtling:3 flucht:2 asylbewerber:3 asylantrag:3 einwanderung:3
            einwanderer:3 zuwanderung:3 abschiebungen:3 gleichstellung:3
            sexuelle_gewalt:3 vergewaltigung:3 hausliche_gewalt:3 meinungsfreiheit:3
            hassrede:3 hasskriminalitat:3 rechtsextreme_gewalt:3 demonstranten:2
            aktivisten:1 aktivistin:1 inhaftiert:2 gefangene:2 politische_gefangene:3
            haftstrafe:1 transgender:3 homosexuelle:3 schwule:3 lesben:3 csd:3
            diversitat:2 sexismus:3 frauenfeindlich:3 femizid:3 belastigung:2
            missbrauch:2 sexueller_missbrauch:3 kindesmissbrauch:2 menschenhandel:3
            sklaverei:3 minderheiten:2 minderheit:2 sinti_und_roma:3
            islamfeindlichkeit:3 judenhass:3 holocaust:2 amnesty:3 burgerrechte:3
            grundrechte:3 ngo:1 seenotrettung:3 mittelmeer:1 grenzschutz:2 frontex:3
            obergrenze:1
        """,
        "theory": """
            marx:3 marxistisch:3 marxismus:3 lenin:3 trotzki:3 engels:3 hegel:3
            philosophie:3 philosoph:3 theorie:3 ideologie:3 geschichte:2 historiker:3
            historisch:2 jahrestag:2 rezension:3 dialektik:3 materialismus:3
            jahrhundert:1 kolonialismus:2 sozialismus:1 kommunismus:1 klassenkampf:3
            manifest:1 denker:3 intellektuelle:2 essay:2 philosophen:3 revolution:1
            oktoberrevolution:3 erinnerung:1 gedenken:2 weltkrieg:1
            nationalsozialismus:2 ns_zeit:2
        """,
        "culture": """
            kultur:3 kunst:3 kunstler:3 film:3 kino:3 musik:3 musiker:3 sanger:3
            sangerin:3
            lied:3 song:2 konzert:3 album:3 theater:3 roman:2 literatur:3
            schriftsteller:3
            autor:2 buch:2 museum:3 ausstellung:3 fernsehen:3 tv:2 serie:2 krimi:3
            sonntagskrimi:3 tatort:3 sendung:2 schauspieler:3 schauspielerin:3
            festival:2
            berlinale:3 sport:3 fussball:3 bundesliga:3 liga:3 zweitliga:3 spieltag:3
            spiel:2
            trainer:3 verein:2 fans:2 tor:2 meisterschaft:3 aufstieg:2 abstieg:3
            olympia:3
            olympische:3 medaille:3 weltmeister:3 gameplay:3 videospiel:3 medien:3
            zeitung:2 rundfunk:3 podcast:2 bvb:3 hsv:3 borusse:3 stadion:3 *liga:3
            spiele:1 videospiele:3 konsole:3 playstation:3 ps5:3 ps4:3 xbox:3 nintendo:3
            switch:1 gaming:3 gamer:3 esport:3 steam:2 trailer:2 rapper:3 rapperin:3
            konzerte:3 tournee:3 filme:3 kinofilm:3 staffel:3 folge:1 netflix:3
            streaming:2 streamingdienst:3 schauspielerinnen:3 topmodel:3 supermodel:3
            model:1 promi:3 promis:3 star:1 stars:1 instagram:1 tiktok:1 youtube:1
            youtuber:3 influencer:3 influencerin:3 mannschaft:2 spieler:2 spielerin:2
            wm:2 em:1 tennis:3 formel_1:3 formel_eins:3 handball:3 basketball:3
            eishockey:3 ski:2 biathlon:3 olympiasieger:3 weltmeisterin:3
            champions_league:3 dfb:3 fc_bayern:3 bayern_munchen:3 torschutze:3 torwart:3
            transfer:2 roman_:3 romane:3 autorin:2 schriftstellerin:3
            bestseller:3 buchpreis:3 kunstlerin:3 maler:3 malerin:3 gemalde:3 skulptur:3
            galerie:2 oper:3 orchester:3 ballett:3 festspiele:3 tanz:2 musical:3
            comedy:3 komiker:3 kabarett:3 moderator:2 moderatorin:2 talkshow:3 quoten:2
            ard:1 zdf:1 rtl:1 dschungelcamp:3 castingshow:3 dsds:3 gntm:3 mode:1
            designer:2 fotograf:3 fotografie:3 architektur:2 denkmal:1 zeitschrift:2
            journalismus:3 journalistin:1 journalist:1 hollywood:3 oscar:3 grammy:3
            eurovision:3 esc:3
        """,
        "other": """
            corona:3 covid:3 pandemie:2 impfung:3 impfstoff:3 geimpft:3 virus:2
            inzidenz:3 infektionen:2 krankenhaus:2 arzte:2 kinderarzte:3 patienten:2
            gesundheit:2 medizin:2 krebs:3 studie:1 forscher:2 wissenschaftler:2
            smartphone:3 iphone:3 app:2 mord:3 morder:3 messerangriff:3 unfall:2
            wetter:2 verlosung:3 gewinnspiel:3 *impfung:3 *mord:3
            gesundheitsminister:3 gesundheitsministerin:3 lotto:3 texte_schreiben:3
            copywriting:3 werbetexte:3 werbetexter:3 marketing:2 tipps:1
        """,
    },
    "es": {
        "labour": """
            huelga:3 huelgas:3 huelguistas:3 paro:2 paros:2 sindicato:3 sindicatos:3
            sindical:3 sindicalistas:3 trabajadores:2 trabajador:2 trabajadoras:2
            obreros:2
            obrera:2 obrero:2 clase_obrera:2 salario:3 salarios:3 salarial:3 sueldo:2
            sueldos:2 despidos:3 despido:3 empleo:1 desempleo:2 patronal:3 patrones:2
            convenio:3 negociacion_colectiva:3 huelga_general:3 piquete:3 piquetes:3
            jornada_laboral:3 laboral:3 laborales:3 fabrica:2 cgt:3 ccoo:3 ugt:3 cta:3
            precarizacion:3 precariedad:3 control_obrero:3 docentes:2 maestros:2
            paro_general:3 huelga_indefinida:3 jornada_de_huelga:3 trabajo:1 empleados:2
            empleadas:2 plantilla:2 personal:1 ere:3 erte:3 despedidos:3
            reforma_laboral:3 salario_minimo:3 pensiones:2 pension:1 jubilacion:2
            jubilados:2 pensionistas:2 autonomos:1 repartidores:3 riders:3 camioneros:2
            mineros:2 enfermeras:1 medicos:1 funcionarios:2 paritaria:3 paritarias:3
            gremio:2 gremial:3 cgtp:3 comisiones_obreras:3 movilizacion:1
            movilizaciones:1 contrato:1 contratos:1 desempleados:2
            condiciones_laborales:3 accidente_laboral:3 explotacion:2 teletrabajo:2
        """,
        "politics": """
            elecciones:3 eleccion:3 electoral:3 voto:2 votos:2 votacion:2 referendum:3
            parlamento:3 congreso:2 senado:2 diputados:2 diputado:2 partido_politico:3
            gobierno:2 ministro:2 ministra:2 presidente:2 presidenta:2 presidencial:3
            oposicion:2 coalicion:2 campana:1 candidato:2 candidata:2 politica:2
            politico:2
            politicos:2 golpe:2 golpe_de_estado:3 dictadura:2 regimen:2 izquierda:2
            derecha:2 ultraderecha:3 fascismo:2 democracia:2 corrupcion:2 embajador:3
            diplomacia:3 cumbre:2 milei:2 lula:2 petro:2 boric:2 amlo:2 kirchner:2
            psoe:3
            podemos:1 vox:2 alcalde:2 gobernador:2 destitucion:3 constitucion:2
            protestas:1 manifestaciones:1
            rebelion:2 revolucion:1 estallido_social:3 sanciones:1 guerra_fria:2
            junta_militar:2
            ministerio:2 gobiernos:2 presidencia:2 mandatario:3 jefe_de_estado:3
            primer_ministro:3 canciller:3 cancilleria:3 moncloa:3 pp:3 partido_popular:3
            erc:3 junts:3 bildu:3 pnv:3 sanchez:2 feijoo:2 ayuso:2 abascal:2
            investidura:3 mocion_de_censura:3 legislatura:3 escano:2 escanos:2
            parlamentario:3 parlamentaria:3 senador:2 senadora:2 diputada:2 comicios:3
            urnas:2 sondeo:2 encuesta:1 electores:3 votantes:3 mitin:3 alcaldesa:2
            ayuntamiento:2 concejal:2 generalitat:2 independentismo:3
            independentista:3 independentistas:3 separatismo:3 presidente_del_gobierno:3
            ministro_de_exteriores:3 relaciones_diplomaticas:3 embajada:2 diplomatico:3
            diplomaticos:3 trump:1 biden:1 putin:1 maduro:2 bukele:2 sheinbaum:2 noboa:2
            arce:1 pacto:1 acuerdo_de_gobierno:3 tribunal_constitucional:2 ley:1
            proyecto_de_ley:2 decreto:2 reforma:1 onu:2 union_europea:2 ue:1 oea:2
            sancion:1 dimision:2 dimite:3 renuncia:2 cese:1 crisis_politica:3
            populismo:2 populista:2
        """,
        "war": """
            guerra:3 guerras:3 militar:3 militares:3 ejercito:3 soldados:3 tropas:3
            invasion:3 ocupacion:2 alto_el_fuego:3 tregua:3 paz:2 negociaciones_de_paz:3
            bombardeo:3 bombardeos:3 misil:3 misiles:3 dron:2 drones:2 armas:2
            armamento:3
            otan:3 ataque:1 atentado:2 terrorista:3 terrorismo:3 ofensiva:2 combates:3
            gaza:2 imperialismo:2 genocidio:3 conflicto_armado:3 frente:1 militariza:2
            campo_de_batalla:3 guerra_fria:3
            conflicto:2 bombas:2 bomba:2 ataques:1 ofensivas:2 armado:2 armados:2
            grupo_armado:3 grupos_armados:3 milicia:3 milicias:3 guerrilla:3
            guerrillero:3 guerrilleros:3 paramilitares:3 yihadista:3 yihadistas:3
            estado_islamico:3 hamas:2 hezbola:2 hutis:2 talibanes:2 rehenes:2 rehen:2
            cohetes:3 artilleria:3 tanques:3 tanque:2 cazas:2 aviones_de_combate:3
            armada:2 marina:1 flota:2 defensa:2 ministerio_de_defensa:3
            ministra_de_defensa:3 ministro_de_defensa:3 gasto_militar:3 militarizacion:3
            muertos:1 victimas_civiles:3 ucrania:1 frente_de_batalla:3 soldado:3
            atentados:3 terroristas:3 nuclear:1 armas_nucleares:3 ocupados:2 asedio:2
            crimenes_de_guerra:3 acuerdo_de_paz:3 proceso_de_paz:3
        """,
        "economy": """
            economia:3 economica:3 economico:3 inflacion:3 precios:3 precio:2 mercado:2
            mercados:2 bolsa:2 inversores:3 inversion:2 banco:2 bancos:2 deuda:3 fmi:3
            prestamo:2 presupuesto:3 austeridad:3 ajuste:2 impuestos:2 comercio:2
            aranceles:3 exportaciones:3 importaciones:2 pib:3 recesion:3 crisis:1
            empresa:2
            empresas:2 ganancias:3 beneficios:2 capitalismo:1 privatizacion:3
            privatizaciones:3 nacionalizacion:2 expropiar:2 pobreza:2 desigualdad:2
            quiebra:3 moneda:2 dolar:2 tarifas:2 costo_de_vida:3 oligarcas:2 vivienda:2
            alquileres:2 bloqueo:1 desempleo:1 salario_real:2
            economias:3 economista:2 economistas:2 crecimiento:2 crecimiento_economico:3
            inflacionaria:3 ipc:3 tipos_de_interes:3 tasas_de_interes:3 banco_central:3
            bce:3 reserva_federal:3 ibex:3 acciones:1 accionistas:3 dividendo:3
            dividendos:3 beneficio:2 facturacion:3 ventas:2 consumo:2 consumidores:2
            hipoteca:2 hipotecas:2 alquiler:2 inmobiliario:2 inmobiliaria:2 politica_fiscal:3
            deficit:3 gasto_publico:3 subsidios:2 subvenciones:2 ayudas:1 exportacion:3
            importacion:2 guerra_comercial:3 acuerdo_comercial:3 comercial:2
            centro_comercial:0 centros_comerciales:0 industria:2
            industrial:2 empresarios:1 empresario:1 empresarial:2
            multinacional:2 multinacionales:2 negocio:2 negocios:2 millones:1 euros:1
            dolares:1 petroleo:1 gas:1 energia:1 factura_de_la_luz:3 carburantes:2
            gasolina:2 turismo:2 turistas:1 agricultura:2 agricultores:1 cosecha:1
            mercosur:2 bancario:2 banca:2 credito:2 creditos:2 financiacion:2
            financiero:2 financiera:2 finanzas:3 inversiones:2 startup:1 bitcoin:3
            criptomonedas:3 tributario:3 hacienda:2 recaudacion:3 renta:1 salarios:1
            pymes:2 autonomos:1 precio_de_la_vivienda:3 cesta_de_la_compra:3
            supermercados:2 supermercado:2 consumidor:2
        """,
        "environment": """
            clima:3 climatico:3 cambio_climatico:3 calentamiento:3 medio_ambiente:3
            ambiental:3 ambientales:3 contaminacion:3 emisiones:3 carbono:3 pesticidas:3
            toxicos:2 sequia:3 inundaciones:3 incendios:2 incendio_forestal:3 huracan:3
            terremoto:3 desastre:2 extractivismo:3 deforestacion:3 ecologista:3
            ecologia:3
            renovables:3 glaciares:2 biodiversidad:3 mineria:1
            crisis_climatica:3 emergencia_climatica:3 ola_de_calor:3 calor:1
            temperaturas:2 lluvias:2 tormenta:2 tormentas:2 temporal:2 dana:3 granizo:2
            nevadas:2 inundacion:3 riadas:3 incendio:2 incendios_forestales:3 volcan:3
            erupcion:2 terremotos:3 sismo:3 tsunami:3 ciclon:3 tornado:3
            contaminacion_del_aire:3 calidad_del_aire:3 plastico:2 plasticos:2
            residuos:2 basura:1 reciclaje:2 especies:2 extincion:3 fauna:2 flora:2
            bosques:2 bosque:2 amazonia:2 selva:2 oceanos:2 energias_renovables:3
            solar:2 eolica:3 combustibles_fosiles:3 carbon:1 litio:1 ecologistas:3
            ambientalistas:3 ambientalista:3 greenpeace:3 medioambiental:3
            medioambientales:3 sostenibilidad:2 sostenible:2 escasez_de_agua:3
            embalses:2
            bomberos:2 fuego:2 llamas:1 hectareas:3 brigadista:3 brigadistas:3
            desalojadas:1 desalojados:1 forestal:3
        """,
        "rights": """
            derechos:2 derechos_humanos:3 represion:3 reprimir:3 policia:1 policial:1
            policias:1 detenido:1 detenidos:1 detencion:2 arrestado:1 carcel:2 presos:2
            presos_politicos:3 tortura:3 censura:3 libertad_de_prensa:3 racismo:3
            racista:3 discriminacion:3 mujeres:2 feminista:3 feminismo:3 aborto:3
            genero:2
            violencia_de_genero:3 feminicidio:3 femicidio:3 lgbt:3 lgbti:3 migrantes:3
            migracion:3 inmigrantes:3 refugiados:3 asilo:3
            indigenas:2 desaparecidos:3 persecucion:1 persecucion_politica:3 violencia:1
            masacre:2
            estado_de_excepcion:3 mujer:1 violencia_policial:3
            libertad_de_expresion:3 derechos_civiles:3 igualdad:2 machismo:3 machista:3
            violencia_machista:3 violencia_sexual:3 violacion:3 agresion_sexual:3
            acoso:2 acoso_sexual:3 abuso_sexual:3 abusos:2 trata:2 trata_de_personas:3
            homofobia:3 transfobia:3 trans:2 matrimonio_igualitario:3 orgullo:1
            colectivo_lgtbi:3 lgtbi:3 lgbtiq:3 inmigracion:3 inmigrante:3 migrante:3
            refugiado:3 solicitantes_de_asilo:3 frontera:1 expulsion:2
            xenofobia:3 antisemitismo:3 islamofobia:3 preso_politico:3 encarcelado:2
            encarcelados:2 condenado:1 prision:2 represaliados:3 desaparicion:2
            desaparecido:2 memoria_historica:2 dictadura:1 victimas:1
            pueblos_indigenas:3 indigena:2 mapuche:2 comunidad_gitana:3 gitanos:2
            esclavitud:3 censurado:3 periodista_asesinado:3
            manifestantes:2 protesta:1 derechos_de_las_mujeres:3 8m:3 feministas:3
            brecha_salarial:3 paridad:2 aborto_legal:3
            deportacion:3 deportados:3 deportaciones:3
        """,
        "theory": """
            marx:3 marxista:3 marxismo:3 lenin:3 leninismo:3 trotsky:3 trotskismo:3
            engels:3
            filosofia:3 filosofo:3 teoria:3 ideologia:3 dialectica:3 materialismo:3
            historia:1 historico:2 historiador:3 aniversario:2 resena:3
            revolucion_rusa:3 comuna_de_paris:3 bolchevique:3 gramsci:3
            historia_de:2 historicos:2 historica:2 siglo:1 siglos:1 colonialismo:2
            colonial:1 socialismo:1 comunismo:1 lucha_de_clases:3 manifiesto_comunista:3
            pensador:3 pensadores:3 intelectual:2 intelectuales:2 ensayo:2 filosofos:3
            marxistas:3 leninista:3 revolucion_de_octubre:3 guerra_civil_espanola:2
            franquismo:2 memoria:1 archivo:1
        """,
        "culture": """
            cultura:3 cultural:3 arte:3 artista:3 artistas:3 cine:3 pelicula:3
            peliculas:3
            musica:3 musico:3 cantante:3 cancion:3 concierto:3 disco:2 album:3 teatro:3
            novela:3 literatura:3 escritor:3 escritora:3 poeta:3 poesia:3 libro:2
            museo:3
            exposicion:3 television:3 serie:2 actor:3 actriz:3 festival:2 deporte:3
            deportes:3 futbol:3 futbolista:3 liga:2 equipo:2 entrenador:3 jugador:3
            jugadores:3 campeonato:3 torneo:3 copa:2 mundial:2 olimpicos:3 medalla:3
            periodismo:2 medios:1 carnaval:3 gran_premio:3 videojuego:3
            culturales:3 pintor:3 pintura:3 escultura:3 exposiciones:3 galeria:2
            fotografia:3 fotografo:3 cineasta:3 director_de_cine:3 taquilla:3 estreno:3
            premios:2 premio:1 goya:2 oscar:3 oscars:3 grammy:3 cannes:2
            festival_de_cine:3 serie_de_television:3 series:2 netflix:3 hbo:3
            streaming:2 presentador:2 presentadora:2 famoso:2 famosa:2 famosos:3
            celebridades:3 influencer:3 influencers:3 instagram:1 tiktok:1 youtube:1
            youtuber:3 rapero:3 rapera:3 reggaeton:3 banda:1 grupo_musical:3 gira:2
            conciertos:3 discos:2 canciones:3 cantantes:3 bailarin:3 danza:3 flamenco:3
            opera:3 orquesta:3 zarzuela:3 escritores:3 novelas:3 libros:2 editorial:2
            lectura:1 poemas:3 baloncesto:3 nba:3 tenis:3 tenista:3 golf:3 ciclismo:3
            ciclista:3 atletismo:3 atleta:3 natacion:3 boxeo:3 formula_1:3 f1:3 motogp:3
            piloto:1 la_liga:3 champions:3 champions_league:3 gol:3 goles:3 delantero:3
            portero:3 centrocampista:3 fichaje:3 fichajes:3 seleccion:2 estadio:3
            aficionados:3 hinchas:3 olimpiadas:3 juegos_olimpicos:3 mundial_de_futbol:3
            eurocopa:3 videojuegos:3 consola:3 playstation:3 nintendo:3 xbox:3 esports:3
            gamer:3 comic:3 manga:3 anime:3 moda:2 modelo:1 diseñador:2 gastronomia:3
            chef:2 cocina:1 receta:2 recetas:2 restaurante:1 vino:1 turismo_cultural:3
            patrimonio:2 arquitectura:2 prensa:2 tv:2 radio:2 podcast:2
            rodaje:3 rodaba:3 rodando:2 humorista:3 comico:2 actores:3 gala:2
            nochevieja:1
        """,
        "other": """
            covid:3 coronavirus:3 pandemia:2 vacuna:3 vacunas:3 vacunacion:3 virus:2
            hospital:2 pacientes:2 salud:2 sanidad:2 cancer:3 estudio:1 cientificos:2
            investigadores:2 movil:2 iphone:3 app:2 asesinato:3 asesinada:3 asesinado:3
            homicidio:3 crimen:2 apunalado:3 robo:3 ladron:3 ladrones:3 accidente:2
            sucesos:3 suceso:2 tiempo:0 prevision:1
            infarto:3 ictus:3 aneurisma:3 enfermedad:2 ministro_de_sanidad:3
            ministra_de_sanidad:3 loteria:3 bonoloto:3 primitiva:2 sorteo:2 premiado:2
            acertante:3 desaparecidos_en:2 buceadores:2
        """,
    },
    "fr": {
        "labour": """
            greve:3 greves:3 greviste:3 grevistes:3 syndicat:3 syndicats:3 syndical:3
            syndicale:3 syndicalistes:3 intersyndicale:3 cgt:3 cfdt:3 salaries:3
            salarie:3
            travailleurs:2 travailleur:2 ouvriers:2 ouvrier:2 salaire:3 salaires:3
            licenciements:3 licenciement:3 plan_social:3 emploi:1 emplois:1 chomage:2
            patronat:3 patron:2 patrons:2 usine:3 fonderie:2 debrayage:3 piquet:3
            conditions_de_travail:3 interimaires:3 precarite:3 travail:1
            employes:2 employees:2 agents:1 personnel:1 effectifs:2
            suppressions_de_postes:3 suppression_de_postes:3 postes:1 chomeurs:2
            demandeurs_d_emploi:3 smic:3 hausse_des_salaires:3 revalorisation:2
            retraite:2 retraites:2 reforme_des_retraites:3 retraites_:2 fo:2
            force_ouvriere:3 unsa:3 sud:1 solidaires:1 cheminots:3 routiers:2
            enseignants:2 soignants:2 infirmieres:1 livreurs:3 uber:1 mobilisation:1
            manifestation:1 manifestations:1 preavis:3 preavis_de_greve:3
            greve_illimitee:3 teletravail:2 temps_de_travail:3 code_du_travail:3
            prud_hommes:3 inspection_du_travail:3 accident_du_travail:3
        """,
        "politics": """
            election:3 elections:3 electoral:3 electorale:3 vote:2 scrutin:3
            presidentielle:3 legislatives:3 parlement:3 assemblee_nationale:3 senat:2
            depute:2 deputes:2 parti:2 partis:2 gouvernement:2 ministre:2
            premier_ministre:3
            president:2 presidente:2 opposition:2 coalition:2 campagne:1 candidat:2
            candidate:2 politique:2 politiques:2 coup_etat:3 regime:2 dictature:2
            gauche:2
            droite:2 extreme_droite:3 rn:3 rassemblement_national:3 lfi:3 macron:2
            le_pen:2
            melenchon:2 maire:2 democratie:2 corruption:2 ambassadeur:3 diplomatie:3
            sommet:2 emplois_fictifs:3 demission:2 haut_commissaire:2
            ministere:2 ministres:2 gouvernements:2 elysee:3 matignon:3 chef_de_l_etat:3
            chef_du_gouvernement:3 quai_d_orsay:3 ministre_des_affaires_etrangeres:3
            chef_de_la_diplomatie:3 diplomate:3 diplomates:3 diplomatique:3
            diplomatiques:3 ambassade:2 relations:1 visite_officielle:3 senateur:2
            senateurs:2 senatrice:2 deputee:2 parlementaire:3 parlementaires:3 elus:2
            elu:1 electeurs:3 electorat:3 sondage:2 sondages:2 primaire:2 investiture:3
            mandat:2 reelection:3 municipales:3 europeennes:3 regionales:2 remaniement:3
            motion_de_censure:3 49_3:3 projet_de_loi:3 proposition_de_loi:3 loi:1
            decret:2 reforme:1 republicains:2 lr:3 renaissance:1 ps:2 parti_socialiste:3
            ecologistes_:2 insoumis:3 nupes:3 bardella:2 attal:2 borne:1 barnier:2
            bayrou:2 zemmour:2 philippe:1 hollande:2 sarkozy:2 dupont_aignan:2 onu:2
            union_europeenne:2 ue:1 bruxelles:1 kremlin:2 trump:1 biden:1 poutine:2
            merkel:2 sanctions:1 demissionne:3 limoge:2 populisme:2 populiste:2
            nationalisme:2 souverainete:2 independance:2 referendum:3
        """,
        "war": """
            guerre:3 guerres:3 militaire:3 militaires:3 armee:3 soldats:3 troupes:3
            invasion:3 occupation:2 cessez_le_feu:3 treve:3 paix:2 pourparlers:2
            frappe:2
            frappes:2 bombardement:3 bombardements:3 missile:3 missiles:3 roquettes:3
            drone:2 armes:2 armement:3 otan:3 attentat:3 terroriste:3 terrorisme:3
            offensive:2 combats:3 conflit:2 arme_blanche:0 hamas:2 gaza:2 genocide:3
            israelo:2
            soldat:3 militaires_:3 forces_armees:3 etat_major:3 ministre_des_armees:3
            armees:3 defense:2 depenses_militaires:3 chars:2 char:1 avions_de_chasse:3
            rafale:3 marine_nationale:3 porte_avions:3 sous_marin:3 sous_marins:3
            frappe_aerienne:3 frappes_aeriennes:3 tirs:2 roquette:3 obus:3 artillerie:3
            jihadiste:3 jihadistes:3 djihadiste:3 djihadistes:3 etat_islamique:3
            talibans:2 hezbollah:2 houthis:2 otages:2 otage:2 milice:3 milices:3
            rebelles:3 insurges:3 paramilitaires:3 terroristes:3 attentats:3 attaque:1
            attaques:1 tues:1 morts:1 civils:1 ukraine:1 front:1 offensive_:2
            invasion_:3 occupee:2 occupes:2 colons:2 annexion:3 nucleaire_iranien:2
            arme_nucleaire:3 armes_nucleaires:3 crimes_de_guerre:3 accord_de_paix:3
            processus_de_paix:3 negociations:1 casques_bleus:3 maintien_de_la_paix:3
            escalade:2 militants_:1
        """,
        "economy": """
            economie:3 economique:3 inflation:3 prix:3 marche:2 marches:2 bourse:3
            investisseurs:3 banque:2 banques:2 dette:3 fmi:3 budget:3 budgetaire:3
            austerite:3 impots:2 taxe:2 commerce:2 commerces:2 droits_de_douane:3
            exportations:3 pib:3 recession:3 croissance:2 crise:1 entreprise:2
            entreprises:2 profits:3 benefices:3 capitalisme:1 privatisation:3 faillite:3
            monnaie:2 euro:1 tourisme:2 supermarche:2 supermarches:2 commerciale:2
            commercial:2 constructeur:2 fusion:3 rachat:3 actionnaires:3 automobile:1
            chiffre_affaires:3 pouvoir_achat:3 aides:1
            relance:2
            economies:3 economiste:2 economistes:2 croissance_economique:3
            taux_d_interet:3 taux_directeur:3 banque_centrale:3 bce:3 fed:2 cac_40:3
            cac:2 action:1 actions:1 marches_financiers:3 wall_street:3
            introduction_en_bourse:3 chiffre_d_affaires:3 ventes:2 consommation:2
            consommateurs:2 credit:2 prets:2 emprunt:2 immobilier:2 loyers:2
            logement:1 deficit:3 dette_publique:3 depenses_publiques:3 subventions:2
            aides_:1 fiscalite:3 impot:2 tva:3 exportation:3 importations:2
            guerre_commerciale:3 accord_commercial:3 industrie:2 industriel:2
            industriels:2 constructeurs:2 usines:1 filiale:2 groupe:1 geant:1
            multinationale:2 multinationales:2 pdg:2 patron_de:1 rachete:3 acquisition:2
            millions:1 milliards:1 milliard:1 dollars:1 petrole:1 energie:1
            prix_de_l_energie:3 carburants:2 essence:1 agriculteurs:1 agriculture:2
            agricole:2 bitcoin:3 cryptomonnaies:3 crypto:3 semi_conducteurs:2 startup:1
            start_up:1 licorne:1 inflation_:3 pouvoir_d_achat:3 vie_chere:3
            salaire_moyen:2 reservations:1 compagnie_aerienne:2 banque_de_france:3
            insee:2 recession_:3
        """,
        "environment": """
            climat:3 climatique:3 rechauffement:3 environnement:3 environnemental:3
            ecologie:3 ecologique:3 ecologistes:3 pollution:3 pesticides:3 toxiques:2
            emissions:1 emissions_de_co2:3 gaz_a_effet_de_serre:3 carbone:3 secheresse:3
            inondations:3 incendies:2 canicule:3
            tempete:2 ouragan:3 seisme:3 catastrophe_naturelle:3 biodiversite:3
            nucleaire:1 renouvelables:3 dechets:2 plastique:2
            changement_climatique:3 crise_climatique:3 urgence_climatique:3
            vague_de_chaleur:3 chaleur:1 temperatures:2 pluies:2 intemperies:3 orages:2
            orage:2 crue:3 crues:3 inondation:3 glissement_de_terrain:3 incendie:2
            feux_de_foret:3 volcan:3 eruption:2 tremblement_de_terre:3 seisme_:3
            cyclone:3 tornade:3 qualite_de_l_air:3 pollution_de_l_air:3 plastiques:2
            recyclage:2 especes:2 extinction:3 faune:2 flore:2 foret:2 forets:2
            amazonie:2 oceans:2 energies_renouvelables:3 solaire:2 eolien:3 eoliennes:3
            energies_fossiles:3 charbon:2 transition_ecologique:3
            transition_energetique:3 greenpeace:3 sobriete:1 glyphosate:3
            agriculture_biologique:2 bio:1 biodiversite_:3 cop:1 accord_de_paris:3
            giec:3 neutralite_carbone:3 eau:1 secheresses:3 nappes_phreatiques:3
        """,
        "rights": """
            droits:2 droits_homme:3 droits_humains:3 repression:3 police:1 policiers:1
            interpelle:2 interpelles:2 garde_a_vue:3 prison:2 detenus:2 torture:3
            censure:3 liberte_de_la_presse:3 racisme:3 raciste:3 discriminations:3
            discrimination:3 grossophobie:3 femmes:1 feministe:3 feminisme:3
            avortement:3
            ivg:3 violences_sexuelles:3 feminicide:3 lgbt:3 homophobie:3 transphobie:3
            migrants:3 migration:3 immigration:3 refugies:3 asile:3 expulsion:2
            sans_papiers:3 islamophobie:3 antisemitisme:3 violences_policieres:3
            liberte_d_expression:3 libertes:2 libertes_publiques:3 droits_civiques:3
            egalite:2 egalite_femmes_hommes:3 sexisme:3 sexiste:3
            violences_faites_aux_femmes:3 violences_conjugales:3 viol:3 viols:3
            agression_sexuelle:3 harcelement:2 harcelement_sexuel:3 metoo:3 inceste:3
            pedocriminalite:3 trans:2 mariage_pour_tous:3 pma:2 immigres:3 immigre:3
            exiles:3 demandeurs_d_asile:3 refugie:3 oqtf:3 expulse:2 expulses:2
            xenophobie:3 detenu:2 prisonniers:2 prisonniers_politiques:3 incarcere:2
            emprisonne:3 condamne:1 bavure:3 bavures:3 violences_policieres_:3
            controle_au_facies:3 gendarmes:1 manifestants:2 militants:1 militante:1
            ong:1 amnesty:3 human_rights_watch:3 journalistes:1 peuples_autochtones:3
            esclavage:3 colonisation:2 laicite:2 voile:2 hijab:2 discrimine:3
        """,
        "theory": """
            marx:3 marxiste:3 marxisme:3 lenine:3 trotsky:3 engels:3 hegel:3
            philosophie:3
            philosophe:3 theorie:3 ideologie:3 dialectique:3 materialisme:3 histoire:2
            historien:3 historique:2 commune_de_paris:3 essai:2
            historiens:3 siecle:1 siecles:1 colonialisme:2 socialisme:1 communisme:1
            lutte_des_classes:3 manifeste:1 penseur:3 penseurs:3 intellectuel:2
            intellectuels:2 essayiste:3 philosophes:3 marxistes:3 revolution:1
            revolution_francaise:3 revolution_russe:3 memoire:1 commemoration:2
            anniversaire:1
        """,
        "culture": """
            culture:3 culturel:3 art:3 artiste:3 artistes:3 cinema:3 film:3 films:3
            musique:3 musicien:3 chanteur:3 chanteuse:3 chanson:3 concert:3 album:3
            theatre:3 roman:3 romancier:3 litterature:3 ecrivain:3 editeur:3 poete:3
            livre:2 musee:3 exposition:3 television:3 emission:3 serie:2 acteur:3
            actrice:3
            festival:2 the_voice:3 sport:3 football:3 ligue:3 match:3 equipe:2
            entraineur:3
            joueur:3 joueurs:3 championnat:3 coupe:2 tournoi:3 olympiques:3 medaille:3
            tour_de_france:3 giro:3 etape:2 maillot:3 cyclisme:3 motogp:3 grand_prix:3
            course:1 tennis:3 rugby:3 medias:3 tele:3 star:2 instagram:1 people:2
            tele_loisirs:3 eurosport:3 lequipe:3
            culturelle:3 culturels:3 peintre:3 peinture:3 sculpture:3 oeuvre:2 oeuvres:2
            galerie:2 photographie:3 photographe:3 cineaste:3 realisateur:3
            realisatrice:3 box_office:3 sortie:1 avant_premiere:3 cesar:2 oscars:3
            grammy:3 cannes:2 festival_de_cannes:3 series:2 netflix:3 plateforme:1
            streaming:2 animateur:2 animatrice:2 celebrite:3 celebrites:3 people_:2
            influenceur:3 influenceuse:3 influenceurs:3 youtubeur:3 rappeur:3 rappeuse:3
            rap:3 groupe_de_rock:3 tournee:3 concerts:3 chansons:3 danseur:3 danseuse:3
            danse:3 opera:3 orchestre:3 ecrivains:3 auteur:1 autrice:2 romans:3 livres:2
            bande_dessinee:3 bd:2 manga:3 basket:3 nba:3 handball:3 volley:3 golf:3
            athletisme:3 natation:3 boxe:3 judo:3 formule_1:3 f1:3 pilote:1 ligue_1:3
            ligue_des_champions:3 psg:3 buteur:3 but:1 buts:2
            gardien:2 milieu_de_terrain:3 mercato:3 transfert:2 selectionneur:3 bleus:2
            supporters:3 stade:3 jo:3 jeux_olympiques:3 coupe_du_monde:3 euro_2024:3
            roland_garros:3 atp:3 wta:3 sets:2 jeu_video:3 jeux_video:3 console:3
            playstation:3 nintendo:3 xbox:3 esport:3 gamer:3 mode:1 mannequin:3 defile:3
            styliste:3 gastronomie:3 chef:1 cuisine:1 recette:2 patrimoine:2
            architecture:2 journalisme:3 presse:2 radio:2 podcast:2 animateur_tele:3
            emission_de_tele:3 telerealite:3 humoriste:3 spectacle:3 comedien:3
            comedienne:3 chanteur_:3
        """,
        "other": """
            covid:3 coronavirus:3 pandemie:2 vaccin:3 vaccination:3 vaccins:3 virus:2
            hopital:2 medecins:2 patients:2 sante:2 cancer:3 etude:1 chercheurs:2
            scientifiques:2 smartphone:3 iphone:3 meurtre:3 poignarde:3 infanticide:3
            suicide:2 accident:2 meteo:2 deconfinement:3 confinement:2 couvre_feu:2
            faits_divers:3
            ministre_de_la_sante:3 loto:3 euromillions:3 recette:2
        """,
    },
    "pt": {
        "labour": """
            greve:3 greves:3 grevistas:3 paralisacao:3 paralisacoes:3 sindicato:3
            sindicatos:3 sindical:3 trabalhadores:2 trabalhador:2 operarios:2 operaria:2
            salario:3 salarios:3 salarial:3 reajuste:2 demissoes:3 desemprego:2
            emprego:1
            patroes:3 patronal:3 fabrica:2 metroviarios:3 petroleiros:3 greve_geral:3
            piquete:3 terceirizacao:3 precarizacao:3 jornada:1
            trabalho:1 trabalhadoras:2 empregados:2 funcionarios:2 servidores:2
            servidores_publicos:3 paralisados:3 paralisam:3 paralisar:3 greve_dos:3
            demitidos:3 demissao:3 dispensa:2 desempregados:2 carteira_assinada:3 clt:3
            reforma_trabalhista:3 salario_minimo:3 piso_salarial:3 aposentadoria:2
            aposentados:2 previdencia:2 reforma_da_previdencia:3 cut:2 forca_sindical:3
            centrais_sindicais:3 motoristas:1 entregadores:3 aplicativo:1 uber:1
            professores:2 bancarios:3 metalurgicos:3 caminhoneiros:3 enfermeiros:1
            concurso:1 concursos:1 vagas:2 vaga:1 contratacao:2 contratacoes:2
            terceirizados:3 trabalho_escravo:3 trabalho_infantil:3 jornada_de_trabalho:3
            horas_extras:3 ferias:1 fgts:3 seguro_desemprego:3 condicoes_de_trabalho:3
            mercado_de_trabalho:3 taxa_de_desemprego:3
        """,
        "politics": """
            eleicao:3 eleicoes:3 eleitoral:3 voto:2 votos:2 urna:2 referendo:3
            parlamento:3 congresso:2 senado:2 deputado:2 deputados:2 partido:2
            partidos:2
            governo:2 ministro:2 ministra:2 presidente:2 presidencia:2 presidencial:3
            oposicao:2 coalizao:2 campanha:1 candidato:2 politica:2 politico:2
            politicos:2
            golpe:2 golpe_de_estado:3 ditadura:2 regime:2 esquerda:2 direita:2
            extrema_direita:3 fascismo:2 democracia:2 corrupcao:2 protestos:1
            manifestacoes:1 revolta:2 lei_marcial:3 embaixador:3
            diplomacia:3 cupula:2 lula:2 bolsonaro:2 pt:2 prefeito:2 governador:2
            impeachment:3 constituicao:2
            ministerio:2 ministros:2 governos:2 governadora:2 prefeita:2 prefeitura:2
            vereador:2 vereadores:2 camara:2 camara_dos_deputados:3 senadores:2
            senador:2 senadora:2 deputada:2 stf:3 supremo:2 supremo_tribunal_federal:3
            tse:3 planalto:3 palacio_do_planalto:3 itamaraty:3 chanceler:3 chancelaria:3
            eleitores:3 eleitorado:3 pesquisa_eleitoral:3 datafolha:3 ibope:3
            candidata:2 candidatos:2 candidatura:3 pre_candidato:3 mandato:2 reeleicao:3
            posse:2 psdb:3 mdb:3 psol:3 pdt:3 psb:3 centrao:3 cpi:3 cpi_da_covid:3
            comissao_parlamentar:3 base_aliada:3 aliados:1 parlamentares:3
            parlamentar:3 votacao:3 medida_provisoria:3 projeto_de_lei:3 pec:3 emenda:2
            veto:2 sancao:1 decreto:2 lei:1 ministro_das_relacoes_exteriores:3
            relacoes_diplomaticas:3 embaixada:2 diplomatico:3 diplomaticos:3 onu:2
            uniao_europeia:2 mercosul:1 trump:1 biden:1 putin:1 moro:2 doria:2 ciro:2
            haddad:2 alckmin:2 tarcisio:2 dilma:2 temer:2 renuncia:2 exoneracao:2
            exonerado:2 nomeacao:1 populismo:2 populista:2 bolsonarista:3
            bolsonaristas:3 petista:3 petistas:3
        """,
        "war": """
            guerra:3 guerras:3 militar:3 militares:3 exercito:3 soldados:3 tropas:3
            invasao:3 ocupacao:2 cessar_fogo:3 tregua:3 paz:2 bombardeio:3 bombardeios:3
            missil:3 misseis:3 drone:2 armas:2 otan:3 ataque:1 atentado:2 terrorista:3
            terrorismo:3 ofensiva:2 combates:3 gaza:2 genocidio:3 imperialismo:2
            conflito:2 conflitos:2 conflito_armado:3 bombas:2 bomba:2 ataques:1
            ofensivas:2 armado:2 armados:2 grupo_armado:3 milicia:2 milicias:2
            guerrilha:3 guerrilheiros:3 paramilitares:3 jihadista:3 jihadistas:3
            estado_islamico:3 hamas:2 hezbollah:2 talibas:2 taliba:2 refens:2 refem:2
            foguetes:3 artilharia:3 tanques:3 tanque:2 cacas:2 marinha:1 frota:2
            defesa:2 ministerio_da_defesa:3 ministro_da_defesa:3 gastos_militares:3
            militarizacao:3 mortos:1 civis:1 ucrania:1 soldado:3 atentados:3
            terroristas:3 nuclear:1 armas_nucleares:3 ocupados:2 cerco:1
            crimes_de_guerra:3 acordo_de_paz:3 negociacoes_de_paz:3 forcas_armadas:3
            combate:2 invadiu:3 invadir:3 ataque_aereo:3 bombardeou:3 drones:2
        """,
        "economy": """
            economia:3 economica:3 economico:3 inflacao:3 precos:3 preco:2 mercado:2
            bolsa:2 investidores:3 investimento:2 banco:2 bancos:2 divida:3 fmi:3
            emprestimo:2 orcamento:3 arcabouco_fiscal:3 fiscal:2 austeridade:3
            impostos:2
            comercio:2 tarifas:2 exportacoes:3 pib:3 recessao:3 crise:1 empresa:2
            empresas:2 lucros:3 lucro:3 capitalismo:1 privatizacao:3 privatizacoes:3
            falencia:3 moeda:2 dolar:2 pobreza:2 desigualdade:2 juros:3
            mercado_financeiro:3
            habitacao:2 rendas:2 alugueis:2 desemprego:1
            economias:3 economista:2 economistas:2 crescimento:2 crescimento_economico:3
            ipca:3 inflacionaria:3 taxa_de_juros:3 selic:3 banco_central:3 copom:3
            ibovespa:3 b3:3 acoes:1 acionistas:3 dividendo:3 dividendos:3 faturamento:3
            vendas:2 varejo:3 consumo:2 consumidores:2 consumidor:2 credito:2
            financiamento:2 financeiro:2 financeira:2 financas:3 investimentos:2
            tesouro:2 tesouro_direto:3 fundo:1 fundos:1 fiis:3 cambio:2 reais:1
            milhoes:1 bilhoes:1 bilhao:1 petroleo:1 petrobras:2 combustiveis:2
            gasolina:2 diesel:2 energia:1 conta_de_luz:3 tarifa:2 agronegocio:3 agro:2
            safra:2 exportacao:3 importacao:2 balanca_comercial:3 guerra_comercial:3
            acordo_comercial:3 industria:2 industrial:2 montadora:2
            montadoras:2 empresario:2 empresarios:2 empresarial:2 negocios:2 negocio:2
            startup:1 startups:1 bitcoin:3 criptomoedas:3 cripto:3 tributaria:3
            reforma_tributaria:3 imposto_de_renda:3 arrecadacao:3 receita_federal:3
            deficit:3 superavit:3 gastos_publicos:3 teto_de_gastos:3 auxilio:1
            auxilio_emergencial:3 bolsa_familia:3 pix:2 fintech:2 nubank:2
            inadimplencia:3 endividamento:3 dividas:3 recuperacao_judicial:3
            alta_dos_precos:3 cesta_basica:3 supermercado:2 supermercados:2 imoveis:2
            imobiliario:2 aluguel:2 turismo:2
        """,
        "environment": """
            clima:3 climatico:3 climatica:3 mudanca_climatica:3 mudancas_climaticas:3
            aquecimento:3 meio_ambiente:3 ambiental:3 poluicao:3 emissoes:3 carbono:3
            agrotoxicos:3 pesticidas:3 seca:3 enchentes:3 inundacoes:3 queimadas:3
            incendios:2 desmatamento:3 amazonia:2 furacao:3 terremoto:3 desastre:2
            barragem:2 mineracao:1 biodiversidade:3 renovaveis:3 ecologia:3
            crise_climatica:3 emergencia_climatica:3 onda_de_calor:3 calor:1
            temperaturas:2 chuvas:2 chuva:1 temporal:2 tempestade:2 tempestades:2
            granizo:2 enchente:3 alagamentos:3 deslizamento:3 deslizamentos:3 estiagem:3
            incendio:2 incendios_florestais:3 queimada:3 fumaca:2 vulcao:3 erupcao:2
            sismo:3 tsunami:3 ciclone:3 tornado:3 poluicao_do_ar:3 qualidade_do_ar:3
            plastico:2 lixo:1 residuos:2 reciclagem:2 especies:2 extincao:3 fauna:2
            flora:2 florestas:2 floresta:2 pantanal:3 cerrado:2 oceanos:2
            energias_renovaveis:3 energia_solar:3 solar:2 eolica:3
            combustiveis_fosseis:3 carvao:1 garimpo:3 garimpeiros:3 ambientalistas:3
            ambientalista:3 ibama:3 sustentabilidade:2 sustentavel:2 escassez_de_agua:3
            reservatorios:2 rompimento_de_barragem:3
            bombeiros:2 fogo:2 chamas:1 hectares:2 brigadistas:3
        """,
        "rights": """
            direitos:2 direitos_humanos:3 repressao:3 policia:1 policial:1 policiais:1
            preso:2 presos:2 prisao:2 detido:1 tortura:3 censura:3
            liberdade_de_imprensa:3
            racismo:3 racista:3 discriminacao:3 mulheres:2 feminista:3 feminismo:3
            aborto:3 genero:2 feminicidio:3 lgbt:3 lgbtqia:3 homofobia:3 migrantes:3
            imigrantes:3 migracao:3 refugiados:3 asilo:3 deportacao:3 indigenas:2
            quilombolas:3 chacina:3 perseguicao:1 perseguicao_politica:3
            violencia_policial:3 lei_marcial:2
            liberdade_de_expressao:3 direitos_civis:3 igualdade:2 machismo:3 machista:3
            violencia_contra_a_mulher:3 violencia_domestica:3 maria_da_penha:3
            violencia_sexual:3 estupro:3 assedio:2 assedio_sexual:3 abuso_sexual:3
            trafico_de_pessoas:3 transfobia:3 trans:2 lgbtfobia:3 lgbtqia_:3
            casamento_igualitario:3 parada_lgbt:3 imigracao:3 imigrante:3 migrante:3
            refugiado:3 xenofobia:3 antissemitismo:3 intolerancia_religiosa:3
            racismo_estrutural:3 injuria_racial:3 negros:2 negras:2 populacao_negra:3
            antirracista:3 presos_politicos:3 encarcerado:2 encarceramento:3 condenado:1
            desaparecidos:3 desaparecimento:2 ditadura_militar:2 comissao_da_verdade:3
            povos_indigenas:3 indigena:2 terras_indigenas:3 yanomami:3 demarcacao:3
            quilombola:3 escravidao:3 censurado:3 manifestantes:2
            protesto:1 direitos_das_mulheres:3 feministas:3 desigualdade_de_genero:3
            aborto_legal:3 operacao_policial:1 letalidade_policial:3
            abordagem_policial:2
        """,
        "theory": """
            marx:3 marxista:3 marxismo:3 lenin:3 trotsky:3 engels:3 filosofia:3
            filosofo:3
            teoria:3 ideologia:3 dialetica:3 materialismo:3 historia:1 historico:2
            historiador:3 resenha:3 revolucao_russa:3 gramsci:3
            historias:2 historica:2 historicos:2 seculo:1 seculos:1 colonialismo:2
            colonial:1 socialismo:1 comunismo:1 luta_de_classes:3 manifesto_comunista:3
            pensador:3 pensadores:3 intelectual:2 intelectuais:2 ensaio:2 filosofos:3
            marxistas:3 leninista:3 revolucao:1 revolucao_de_outubro:3 paulo_freire:3
            memoria:1
        """,
        "culture": """
            cultura:3 cultural:3 arte:3 artista:3 cinema:3 filme:3 filmes:3 musica:3
            musico:3 cantor:3 cantora:3 cancao:3 show:2 album:3 teatro:3 literatura:3
            escritor:3 poeta:3 poesia:3 livro:2 museu:3 exposicao:3 televisao:3 novela:3
            serie:2 ator:3 atriz:3 festival:2 carnaval:3 esporte:3 esportes:3 futebol:3
            jogador:3 jogadores:3 campeonato:3 copa:2 torneio:3 olimpicos:3 medalha:3
            formula_1:3 midia:3
            culturais:3 pintor:3 pintura:3 escultura:3 exposicoes:3 galeria:2
            fotografia:3 fotografo:3 cineasta:3 diretor:1 bilheteria:3 estreia:3
            premio:1 premios:2 oscar:3 grammy:3 cannes:2 festival_de_cinema:3 series:2
            netflix:3 hbo:3 globoplay:3 streaming:2 apresentador:2 apresentadora:2
            famoso:2 famosa:2 famosos:3 celebridades:3 celebridade:3 influenciador:3
            influenciadora:3 influencer:3 instagram:1 tiktok:1 youtube:1 youtuber:3
            rapper:3 funk:3 sertanejo:3 sertaneja:3 samba:3 pagode:3 mpb:3 forro:3
            banda:1 dupla:1 turne:3 shows:2 cantores:3 musicas:3 cancoes:3 bailarina:3
            danca:3 orquestra:3 escritores:3 romance:1 livros:2 editora:2
            leitura:1 poemas:3 basquete:3 nba:3 volei:3 tenis:3 tenista:3 golfe:3
            ciclismo:3 atletismo:3 atleta:3 atletas:3 natacao:3 boxe:3 ufc:3 mma:3
            lutador:3 f1:3 piloto:1 brasileirao:3 libertadores:3 copa_do_brasil:3
            copa_do_mundo:3 selecao:2 gol:3 gols:3 jogo:1 jogos:1 rodada:3
            clube:2 clubes:2 tecnico:2 treinador:3 atacante:3 goleiro:3 zagueiro:3
            torcida:3 torcedores:3 estadio:3 olimpiadas:3 jogos_olimpicos:3 videogame:3
            videogames:3 games:3 game:2 jogo_eletronico:3 console:3 playstation:3
            nintendo:3 xbox:3 esports:3 gamer:3 quadrinhos:3 hq:2 anime:3 moda:2
            modelo:1 estilista:3 gastronomia:3 chef:2 receitas:2 restaurante:1 vinho:1
            patrimonio:2 arquitetura:2 jornalismo:3 imprensa:2 tv:2 radio:2 podcast:2
            bbb:3 big_brother:3 reality:3 reality_show:3 novelas:3 atores:3
            brother:1 sister:1 participantes:1 paredao:3 eliminado:1 eliminada:1
            humorista:3 comediante:3
        """,
        "other": """
            covid:3 coronavirus:3 pandemia:2 vacina:3 vacinas:3 vacinacao:3 virus:2
            hospital:2 pacientes:2 saude:2 sus:2 cancer:3 estudo:1 cientistas:2
            pesquisadores:2 celular:3 smartphone:3 iphone:3 app:2 aplicativo:2
            whatsapp:2 assassinato:3 assassinado:3 assassinada:3 homicidio:3 crime:2
            esfaqueado:3 roubo:3 assalto:3 acidente:2 previsao:1
            infarto:3 avc:3 doenca:2 infectologista:3 cardiologista:3 hipertensao:3
            sintomas:2 tratamento:2 loteria:3 mega_sena:3 sorteio:2 ministro_da_saude:3
            celular_:2 lancamento:1 processador:3 bateria:2 notebook:2 laptop:3 tela:1
        """,
    },
    "ru": {
        "labour": """
            забастовка:3 забастовки:3 забастовок:3 бастовать:3 бастуют:3 стачка:3
            профсоюз:3 профсоюзы:3 профсоюзов:3 профсоюзный:3 рабочие:2 рабочих:2
            трудящиеся:3 работники:2 зарплата:3 зарплаты:3 зарплат:3 заработной_платы:3
            увольнения:3 увольнение:3 сокращения:2 безработица:3 занятость:2 трудовой:3
            трудовые:3 работодатель:3 завод:2 шахтеры:3 забастовщики:3
            работник:2 работницы:2 сотрудники:1 персонал:1 зарплату:3 зарплатой:3
            заработная_плата:3 мрот:3 оплата_труда:3 трудящихся:3 рабочий:2 рабочего:1
            рабочие_места:2 вакансии:2 вакансий:2 безработных:3 безработные:3 пенсия:2
            пенсии:2 пенсионный_возраст:3 пенсионеры:1 уволили:3 уволен:2 уволены:3
            сокращение_штата:3 задержка_зарплаты:3 долги_по_зарплате:3 бастующие:3
            стачки:3 протест_рабочих:3 шахтер:3 шахтеров:3 курьеры:3 медики:1 учителя:1
            трудовой_кодекс:3 трудовые_права:3 удаленка:2 удаленная_работа:2
            рынок_труда:3 занятости:2 мигранты_трудовые:3 трудовые_мигранты:3
        """,
        "politics": """
            выборы:3 выборов:3 выборах:3 избирательный:3 голосование:3 референдум:3
            парламент:3 госдума:3 дума:3 депутат:2 депутаты:2 партия:2 партии:2
            правительство:2 министр:2 премьер:3 премьер_лиги:0 президент:2 мишустин:2
            президентские:3 оппозиция:3
            оппозиционный:3 кандидат:2 политика:2 политик:2 политический:2 переворот:2
            режим:2 диктатура:2 губернатор:2 мэр:2 кремль:2 путин:2 дипломатия:3 посол:3
            посольство:2 саммит:2 коррупция:2 отставка:2 конституция:2 закон:1
            экстремизм:1 законопроект:2 чтении:2
            президента:2 президентом:2 премьер_министр:3 министра:2 министров:2
            министерство:2 мид:3 лавров:2 захарова:2 песков:2 кремля:2 кремле:2
            госдумы:3 госдуме:3 совфед:3 совет_федерации:3 сенатор:2 сенаторы:2
            володин:2 матвиенко:2 депутатов:2 единая_россия:3 кпрф:3 лдпр:3
            справедливая_россия:3 навальный:2 оппозиционер:3 оппозиционеры:3
            избиратели:3 избирателей:3 явка:3 цик:3 кандидатов:2 губернатора:2 мэра:2
            меркель:2 байден:2 байдена:2 трамп:1 макрон:2 зеленский:1 шольц:2
            лукашенко:2 эрдоган:2 си_цзиньпин:2 дипломат:3 дипломаты:3 дипломатический:3
            посла:3 послом:3 посольства:2 переговоры:1 переговоров:1 визит:2 визита:2
            санкции:2 санкций:2 оон:2 совбез_оон:3 совбез:3 евросоюз:2 ес:1 брюссель:1
            белый_дом:2 вашингтон:1 госдеп:3 конгресс:2 сенат:2 законопроекта:2 закона:1
            указ:2 подписал_указ:3 отставку:2 отставке:2 назначен:1 назначил:1
            партия_власти:3 оппозиционной:3 митинг:2 митинги:2 протесты:1 протестующие:1
            политики:2 политической:2 политическая:2 политологи:3 политолог:3 власти:1
            власть:1 вице_премьер:3 губернаторы:2 мэрия:2 правительства:2
        """,
        "war": """
            война:3 войны:3 войне:3 войной:3 военный:3 военные:3 военных:3 армия:3
            армии:3
            войска:3 солдаты:3 вторжение:3 оккупация:3 перемирие:3 прекращение_огня:3
            мирные_переговоры:3 обстрел:3 обстрелы:3 обстрелов:3 ракета:3 ракеты:3
            удар:2
            удары:2 бомба:2 бомбардировка:3 дрон:2 беспилотник:3 оружие:2 вооружение:1
            нато:3 теракт:3 террорист:3 терроризм:3 диверсанты:3 учения:2 боевики:3
            боевые:3 фронт:2 хамас:2 сектор_газа:3 конфликт:2 ядерный:2 спецназ:2 флот:3
            вмс:3 корабль:2 палестинцев:2 банды:1
            военных_:3 военного:3 военной:3 военнослужащие:3 военнослужащих:3
            минобороны:3 министерство_обороны:3 шойгу:2 генштаб:3 вс_рф:3 всу:3 армией:3
            армию:3 войск:3 танк:3 танки:3 танков:3 бронетехника:3 бронеавтомобиль:2
            пво:3 зрк:3 ракетный:3 ракетные:3 ракет:3 истребитель:3 истребители:3
            самолет_вкс:3 вкс:3 авиаудар:3 авиаудары:3 авианосец:3 подлодка:3
            подводная_лодка:3 фрегат:3 крейсер:3 учениях:2 парад_победы:3
            парада_победы:3 парад:1 ветераны:1 великой_отечественной:2 вов:2 победы:1
            погибли:1 погибших:1 погиб:1 убиты:1 раненые:1 мирные_жители:2
            мирных_жителей:2 беженцев:1 обстрелял:3 обстреляли:3 обстрела:3
            бомбардировки:3 удар_по:2 ударов:2 беспилотники:3 беспилотников:3 дроны:2
            оружия:2 оружием:2 поставки_оружия:3 вооруженные_силы:3 вооруженных_сил:3
            боевиков:3 террористов:3 теракта:3 террористический:3 игил:3 талибы:2
            талибан:2 хезболла:2 хуситы:2 израиль:1 палестина:1 газа:2 газе:2 цахал:3
            донбасс:2 днр:2 лнр:2 всу_:3 наступление:3 контрнаступление:3 оборона:2
            обороны:2 линия_фронта:3 боевые_действия:3 боевых_действий:3 спецоперация:3
            сво:3 мобилизация:3 мобилизации:3 призыв:1 ядерное_оружие:3
            ядерного_оружия:3 перемирия:3 мирный_план:3 мирные_переговоры_:3
            оккупированных:3 оккупанты:3 аннексия:3 вторжения:3 военная_техника:3
            вооружений:1 стрельба:1 беспорядки:1 столкновения:2 столкновений:2
        """,
        "economy": """
            экономика:3 экономики:3 экономический:3 инфляция:3 цены:3 цен:3 цена:2
            рынок:2
            рынка:2 биржа:3 акции:1 инвесторы:3 инвестиции:2 банк:2 цб:3 центробанк:3
            долг:2 бюджет:3 налоги:2 налог:2 торговля:2 пошлины:3 экспорт:3 импорт:2
            ввп:3
            рецессия:3 кризис:1 компания:2 компании:2 дивиденды:3 дивидендах:3 прибыль:3
            выручка:3 капитализм:1 приватизация:3 банкротство:3 валюта:3 валют:3 курс:1
            рубль:3 доллар:2 биткоин:3 криптовалюта:3 swift:3 котировки:3 подорожал:3
            подешевел:3 стоимость:2 производитель:2
            экономике:3 экономику:3 экономист:2 экономисты:2 ввп_:3 рост_экономики:3
            инфляции:3 инфляцию:3 ключевая_ставка:3 ключевую_ставку:3 ставки:1 ставка:1
            банка_россии:3 набиуллина:2 минфин:3 минэкономразвития:3 силуанов:2
            бюджета:3 дефицит:3 дефицит_бюджета:3 налогов:2 налоговый:2 ндфл:3 ндс:3
            пошлин:3 торговли:2 торговый:2 экспорта:3 импорта:2 нефть:2 нефти:2
            газпром:2 роснефть:2 опек:3 баррель:3 брент:3 brent:3
            цены_на_нефть:3 рубля:3 курс_доллара:3 курс_рубля:3 евро:1 долларов:1 млрд:1
            млн:1 миллиардов:1 миллионов:1 акционеры:3 мосбиржа:3 биржи:3
            индекс:1 облигации:3 кредит:2 кредиты:2 ипотека:3 ипотеки:3 вклады:3
            депозиты:3 банки:2 банков:2 сбербанк:2 втб:2 бизнес:2 бизнеса:2
            предприниматели:2 предпринимателей:2 малый_бизнес:3 компаний:2 корпорации:2
            олигарх:2 олигархи:2 миллиардер:2 forbes:2 выручку:3 прибыли:3 убытки:3
            убыток:3 банкрот:3 продажи:2 продаж:2 розничные:2 потребители:2
            потребительские:2 подорожание:3 подорожали:3 цены_на:3 стоимости:2 тарифы:2
            жкх:2 зарплаты_:1 доходы:2 доходов:2 бедность:2 бедности:2 неравенство:2
            рецессии:3 кризиса:1 санкции_:1 импортозамещение:3 промышленность:2
            производство:2 завода:1 сельское_хозяйство:2 урожай:1 зерно:2 пшеница:2
            туризм:2 турбизнес:3 авиакомпании:1 криптовалюты:3 биткоина:3 майнинг:3
        """,
        "environment": """
            климат:3 климатический:3 изменение_климата:3 экология:3 экологический:3
            окружающая_среда:3 загрязнение:3 выбросы:3 углерод:3 засуха:3 наводнение:3
            пожары:2 лесные_пожары:3 ураган:3 землетрясение:3 стихийное_бедствие:3
            отходы:2 мусор:2
            климата:3 изменения_климата:3 глобальное_потепление:3 потепление:3 жара:2
            аномальная_жара:3 ливни:2 ливень:2 паводок:3 паводки:3 наводнения:3
            подтопления:3 шторм:2 ураганный_ветер:3 снегопад:2 метель:2 лавина:3
            оползень:3 извержение:3 вулкан:3 землетрясения:3 цунами:3 смерч:3 торнадо:3
            пожар:1 лесной_пожар:3 природные_пожары:3 вырубка:3 леса:1 лесов:2
            разлив_нефти:3 разлив:2 выброс:2 экологи:3 экологов:3 гринпис:3 заповедник:3
            нацпарк:2 редкие_животные:3 красная_книга:3 вымирание:3 свалка:3 свалки:3
            переработка:2 пластик:2 воздух:1 качество_воздуха:3 смог:3 мчс:1 стихия:3
            непогода:3 погода:1 синоптики:2 температура:1 морозы:2 аномальные:2
        """,
        "rights": """
            права_человека:3 правам_человека:3 права:2 правозащитник:3 правозащитники:3
            репрессии:3 полиция:1 полицейские:1 силовики:3 задержан:1 задержания:2
            задержаны:1 арест:1 арестован:1 тюрьма:2 заключенные:2 политзаключенные:3
            пытки:3 цензура:3 свобода_слова:3 блокировка:2 заблокировали:3 расизм:3
            дискриминация:3 женщины:2 феминизм:3 аборт:3 лгбт:3 мигранты:3 миграция:3
            беженцы:3 депортация:3 иноагент:3 иноагенты:3 иностранный_агент:3 расправа:3
            расправой:3 еспч:3 пригрозил:2
            права_человека_:3 правозащитный:3 мемориал:2 свободы:1 свобода:1
            свободу_слова:3 цензуры:3 журналист:1 журналиста:1 журналистов:1 сми_:1
            иноагентом:3 иноагентов:3 нежелательной:3 нежелательная_организация:3
            экстремистской:2 экстремистским:2 обыски:3 обыск:2 задержали:2 задержанных:2
            задержание:2 арестовали:2 арестованы:2 суд_арестовал:1 приговор:1
            приговорили:1 срок:1 колонии:2 колония:1 заключения:2 политзаключенный:3
            политзаключенных:3 пыток:3 пытки_:3 насилие:1 насилия:2 домашнее_насилие:3
            домашнего_насилия:3 изнасилование:3 харассмент:3 феминистки:3
            дискриминации:3 расизма:3 ксенофобия:3 антисемитизм:3 гомофобия:3 лгбт_:3
            пропаганда_лгбт:3 трансгендер:3 мигрантов:3 миграционный:3 беженцев_:3
            депортации:3 выдворение:3 протестующих:2 акции_протеста:2 разгон:3 омон:3
            росгвардия:2 силовиков:3 полицейских:1 полиции:1 мвд:1 фсб:1 слежка:2
            блокировки:2 роскомнадзор:3 запрет:1 запретили:1 правозащитница:3
            омбудсмен:3 уполномоченный_по_правам_человека:3
        """,
        "theory": """
            маркс:3 марксизм:3 марксист:3 ленин:3 троцкий:3 энгельс:3 философия:3
            философ:3
            теория:3 идеология:3 диалектика:3 материализм:3 история:1 исторический:2
            историк:3 годовщина:2 рецензия:3 большевики:3
            века:1 век:1 колониализм:2 социализм:1 коммунизм:1 классовая_борьба:3
            манифест:1 мыслитель:3 интеллектуалы:2 эссе:2 философы:3 марксисты:3
            ленинизм:3 революция:1 революции:1 октябрьская_революция:3 историки:3
            истории:1 память:1 мемориальный:1
        """,
        "culture": """
            культура:3 искусство:3 художник:3 кино:3 фильм:3 музыка:3 музыкант:3 певец:3
            певица:3 песня:3 песне:3 концерт:3 альбом:3 театр:3 литература:3 писатель:3
            поэт:3 книга:2 музей:3 выставка:3 телевидение:3 сериал:3 шоу:2 актер:3
            актриса:3 артистка:3 артист:3 фестиваль:2 евровидение:3 евровидения:3
            спорт:3
            футбол:3 матч:3 клуб:2 тренер:3 игрок:3 игроки:3 чемпионат:3 турнир:3 лига:3
            премьер_лиги:3
            олимпийские:3 медаль:3 стадион:3 арена:2 геймплей:3 видеоигра:3 gta:3 ps5:3
            xbox:3 сми:2 вокалист:3 дисквалифицировали:2 гость:1 ведущий:2
            игра:1 игры:1 игр:1 игровой:2 видеоигры:3 steam:3 playstation:3 nintendo:3
            консоль:3 геймеры:3 геймер:3 киберспорт:3 стример:3 стримеры:3 блогер:3
            блогерша:3 блогеры:3 инстаграм:1 instagram:1 тикток:1 youtube:1 ютуб:1
            звезда:1 звезды:1 знаменитость:3 знаменитости:3 певицы:3 певца:3 рэпер:3
            рэперы:3 группа:1 клип:3 трек:3 хит:2 гастроли:3 концерты:3 альбома:3
            фильма:3 фильмы:3 кинотеатры:3 прокат:2 сериала:3 сериалы:3
            режиссер:3 актера:3 актрисы:3 актеры:3 телеведущая:3 телеведущий:3 шоумен:3
            эфир:1 эфире:1 канал:1 первый_канал:2 оскар:3 грэмми:3 канны:2 каннский:3
            книги:2 роман:2 писательница:3 поэзия:3 художника:3 картина:2 картины:2
            галерея:2 балет:3 опера:3 оркестр:3 спектакль:3 театра:3 мода:2 модель:1
            дизайнер:2 ресторан:1 шеф:1 кухня:1 футбола:3 футболист:3 футболисты:3 гол:3
            голы:3 забил:3 форвард:3 нападающий:3 вратарь:3 полузащитник:3 трансфер:3
            трансферного:3 трансферное_окно:3 рпл:3 лига_чемпионов:3 лиги_чемпионов:3
            апл:3 сборная:3 сборной:3 матча:3 матче:3 хоккей:3 кхл:3 нхл:3 теннис:3
            теннисист:3 теннисистка:3 баскетбол:3 бокс:3 ufc:3 мма:3 боец:2 бой:1
            биатлон:3 фигурное_катание:3 фигуристка:3 фигурист:3 олимпиада:3 олимпиады:3
            олимпийский:3 чемпион:3 чемпионка:3 чемпионата:3 формула_1:3 гонка:2
            гонщик:3 болельщики:3 фанаты:3 фанатов:3 тренера:3 клуба:2 зенит:2 спартак:2
            цска:2 локомотив:1 динамо:1 реал:2 барселона:1 барселоне:1 барселоны:1
            мбаппе:2 месси:2 роналду:2
            премьера:3
            комик:3 комика:3 юморист:3 стихотворение:2 стихотворении:2 салют:2
            фейерверк:2 праздник:1 праздничный:1 стендап:3
        """,
        "other": """
            коронавирус:3 covid:3 ковид:3 пандемия:2 вакцина:3 вакцины:3 вакцинация:3
            прививка:3 вирус:2 больница:2 врачи:2 пациенты:2 здоровье:2 медицина:2
            спид:3 вич:3 исследование:1 ученые:2 смартфон:3 iphone:3 приложение:2
            whatsapp:2 убийство:3 убил:2 ножом:2 мошенники:3 мошенничество:3 дтп:3
            авария:2 погода:2 марс:2 космос:2
            министр_здравоохранения:3 минздрав:3 пропал_без_вести:3 пропала_без_вести:3
            болезнь:2 инфаркт:3 лотерея:3
        """,
    },
}

# Feed categories and tags that name a topic outright (any language), as WordPress, news wires
# and aggregators write them; compared as whole folded phrases. The topics' own names in every
# language (taxonomy.ALIASES) count too.
CATEGORY_PHRASES: dict[str, tuple[str, ...]] = {
    "labour": (
        "labour",
        "labor",
        "workers",
        "work",
        "unions",
        "union",
        "trade unions",
        "strikes",
        "strike",
        "workers struggle",
        "class struggle",
        "labour movement",
        "labor movement",
        "organizing",
        "worker perspective",
        "gig economy",
        "employment",
    ),
    "politics": (
        "politics",
        "politics and government",
        "elections",
        "governance",
        "government",
        "international relations",
        "diplomacy",
        "parliament",
        "political parties",
        "world politics",
        "us politics",
    ),
    "war": (
        "war",
        "war and armed conflicts",
        "conflict, peace and security",
        "defense and military forces",
        "military",
        "terrorism",
        "israel-gaza war",
        "imperialism",
        "anti-war",
        "peace process",
    ),
    "economy": (
        "economy",
        "economics",
        "business",
        "economy, business and finance",
        "finance",
        "markets",
        "trade",
        "economic crisis",
        "inflation",
    ),
    "environment": (
        "environment",
        "climate",
        "climate change",
        "ecology",
        "pollution",
        "natural disasters",
        "global warming",
    ),
    "rights": (
        "human rights",
        "civil rights",
        "women",
        "women and gender",
        "women's rights",
        "lgbt",
        "lgbtq",
        "racism",
        "migration",
        "immigration",
        "refugees",
        "repression",
        "police",
        "anti-semitism",
        "discrimination",
        "feminism",
    ),
    "theory": (
        "theory",
        "marxist theory",
        "history",
        "philosophy",
        "reviews",
        "book reviews",
        "marxism",
        "classics",
        "education",
    ),
    "culture": (
        "culture",
        "arts",
        "arts and culture",
        "arts, culture and entertainment",
        "sport",
        "sports",
        "media",
        "film",
        "music",
        "books and literature",
        "entertainment",
        "olympic games",
        "poetry and poets",
        "pop and rock music",
        "figure skating",
    ),
}

# Parts of an outlet's name (folded, lowercase) that tell what it publishes: the name an
# aggregator puts after a title ("… - Championat", "… - VIP.de, Star News", "… - Handelsblatt").
OUTLET_PARTS: dict[str, str] = {
    **dict.fromkeys(
        (
            *("sport", "esporte", "deportes", "foot", "soccer", "kicker", "championat"),
            *("tennis", "game", "gaming", "play3", "kino", "cinema", "film", "music"),
            *("vip", "starhit", "closer", "voici", "gala", "purepeople", "hollywood"),
        ),
        "culture",
    ),
    **dict.fromkeys(
        (
            *("finanz", "financ", "handelsblatt", "business", "borse", "boerse", "money"),
            *("investing", "wirtschaft", "economi", "bolsa", "dinheiro", "forbes"),
        ),
        "economy",
    ),
}


def _splits(*groups: tuple[str, str]) -> dict[str, str]:
    return {form: stem for forms, stem in groups for form in forms.split()}


# Words whose stem (Snowball, in the language) meets an unrelated word's, kept apart: in Spanish
# "deportes" (sport) and "deportación" both stem to "deport", "derecha" (the right) and
# "derechos" (rights) to "derech"; in French "droite" and "droits" to "droit", "émission" (a TV
# show) and "émissions" (of CO2) to "emiss". Each listed form (folded) gets the stem given.
STEM_SPLITS: dict[str, dict[str, str]] = {
    "en": _splits(
        ("premiere premieres premiered", "premiere"),
        ("anime", "anime"),
        ("conservation conservationist conservationists", "conservation"),
        ("rights", "rights"),  # "right" (the right wing, the right thing) is no right
        ("nationalization nationalisation nationalize nationalise nationalized", "nationaliz"),
        ("generals", "generals"),  # "general election", "attorney general"
        ("celebrity celebrities", "celebrity"),  # not "celebrations"
        ("important importance importantly", "important"),  # not "imports"
        ("succession", "succession"),  # not "success"
        ("influencer influencers", "influencer"),  # not "influence"
        ("populism populist populists", "populis"),  # not "population"
        ("privatization privatisation privatize privatise privatized", "privatiz"),
        ("boxing boxer", "boxing"),  # not "box"
        ("racing", "racing"),  # not "race"
        ("organize organizing organizer organizers organise organising organiser", "organise"),
        ("independence", "independence"),  # not "independent"
        ("logging", "logging"),  # not "logs"
    ),
    "de": _splits(
        ("kriegen kriegt kriegst kriegte", "kriegen"),  # "to get", not "Krieg"
        ("gewinnen gewinnt gewann", "gewinnen"),  # "to win", not "Gewinn" (profit)
        ("maler malerin", "maler"),  # not "mal" (once)
    ),
    "es": _splits(
        (
            "deportacion deportaciones deportado deportados deportada deportadas deportar"
            " deporta deportan deporto",
            "deportacion",
        ),
        ("derecha derechas", "derecha"),
        ("paro paros", "paro"),  # not "para" (for)
        ("solar solares", "solar"),  # not "solo"
        ("dana", "dana"),  # the storm, not "dan" (they give)
        ("moda", "moda"),  # not "modo"
        ("celebridad celebridades", "celebridad"),  # not "celebrado"
        ("periodismo", "periodismo"),  # not "periodo"
        ("libro libros", "libro"),  # not "libre"
        ("ocupacion ocupaciones", "ocupacion"),  # not "ocupantes"
        ("ocupados ocupado ocupada ocupadas", "ocupado"),
        ("historiador historiadores", "historiador"),  # not "historia" (a story)
        ("flora", "flora"),  # not "Florida"
    ),
    "fr": _splits(
        ("droite", "droite"),
        ("emissions", "emissions"),
        ("parti partis", "parti"),  # not "à partir de", "partie"
        ("serie series", "serie"),  # not "sera"
        ("coupe coupes", "coupe"),  # not "coup d'État"
    ),
    "pt": _splits(
        ("direita direitas", "direita"),
        ("temer", "temer"),  # not "tem" (has)
        ("camara", "camara"),  # not "câmera"
        ("misseis missil", "missil"),  # not "missas"
        ("operaria operarias", "operari"),  # not "opera" (operates)
        ("atacante atacantes", "atacante"),  # not "ataque"
        ("moda", "moda"),  # not "modo"
        ("jornalismo", "jornalismo"),  # not "jornal" (a newspaper says)
        ("entregadores entregador", "entregador"),  # not "entrega" (hands over)
        ("historiador historiadores", "historiador"),  # not "história" (a story)
        ("ocupados ocupada ocupado", "ocupado"),  # not "ocupa o cargo"
    ),
    "ru": _splits(
        ("премьера премьеры премьеру премьере премьерой", "премьера"),
        ("сво", "сво_"),  # the "special operation", not "свою", "своим" (own)
        ("посла послу послом", "посол"),  # not "после" (after)
        ("стихия стихии стихией", "стихия"),  # not "стихи" (poems)
        ("правила правил правилам", "правил"),  # rules, not rights
        ("арена арены арене", "арена"),
    ),
}
