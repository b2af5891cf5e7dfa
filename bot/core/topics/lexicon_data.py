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
            strike:3 strikes:3 striking:3 striker:3 strikebreakers:3 general_strike:3 union:3
            unions:3 unionize:3 unionise:3 unionization:3 trade_union:3 labour_union:3
            labor_union:3 worker:2 workers:2 workforce:2 workplace:3 workplaces:3 wage:3 wages:3
            minimum_wage:3 salary:2 salaries:2 pay:1 layoff:3 layoffs:3 laid_off:3
            employer:2 employers:2 employee:2 employees:2 job:1 jobs:1 unemployment:2 picket:3
            picketing:3 walkout:3 walked_off:3 walk_out:3 stoppage:3 industrial_action:3
            collective_bargaining:3 bargaining:2 organizing:2 organising:2 organizer:2
            organise:2 organize:2 dockworkers:3 dockers:3 miners:2 teachers:1 nurses:1
            truckers:2 drivers:1 overtime:2 gig:2 labour:2 labor:2 rank_and_file:3
            shop_steward:3 go_slow:3 unpaid:2 workers_control:3 working_class:2 tech_worker:3
            coworker:3 coworkers:3 colleagues:1 fired:1 plantation:1 factory:2 factories:2
            pension:1 pensions:1 apprentices:2 boss:2 bosses:2 exploitation:2
        """,
        "politics": """
            election:3 elections:3 electoral:3 elect:2 elected:2 vote:2 votes:2 voters:2
            ballot:2 referendum:3 runoff:3 parliament:3 parliamentary:3 congress:2 senate:2
            senator:2 party:1 parties:1 government:2 governments:2 governing:2 ruling_party:3
            minister:2 ministers:2 prime_minister:3 president:2 presidential:3 presidency:2
            cabinet:2 coalition:2 opposition:2 campaign:1 candidate:2 candidates:2 democrats:2
            republicans:2 democratic_party:3 republican_party:3 labour_party:3 labor_party:3
            communist_party:3 conservative:2 conservatives:2 liberal:1 left:1 leftist:2
            left_wing:2 right_wing:2 far_right:2 far_left:2 fascism:2 fascist:2 populist:2
            politics:3 political:2 politician:2 politicians:2 impeach:3 impeachment:3 coup:3
            junta:3 regime:2 dictatorship:2 dictator:2 dictatorial:2 lawmaker:2 lawmakers:2
            legislature:2 legislation:1 bill:1 mayor:2 governor:2 chancellor:2 diplomacy:3
            diplomat:3 diplomats:3 diplomatic:3 ambassador:3 embassy:2 envoy:3 envoys:3
            foreign_minister:3 foreign_ministry:3 summit:2 sanctions:1 corruption:2 scandal:1
            resign:2 resignation:2 constitution:2 constitutional:2 socialism:1 socialist:1
            communist:1 protest:1 protests:1 sworn_in:3 oust:3 ousts:3 ousted:3 reform:1
            reforms:1 policy:1 democracy:2 democratic:1 authoritarian:2 state:1 kremlin:2
            white_house:2 trump:1 putin:1 macron:1 biden:1 european_union:2 african_union:2
            soviet_union:1 international_relations:3 rules_based_order:3 extremist:1
            civilian_rule:3 ideology:1 imperialism:1 anti_imperialism:2 sovereignty:2
            nationalist:2 talks:1 negotiations:2 negotiators:2 independence:2 brexit:3
            navalny:2 afd:3 gop:3 tories:3 cdu:3
        """,
        "war": """
            war:3 wars:3 warfare:3 military:3 army:3 troops:3 soldier:3 soldiers:3 militia:2
            militias:2 invasion:3 invade:3 invaded:3 occupation:2 occupied:2
            occupied_territories:3 ceasefire:3
            cease_fire:3 armistice:3 peace_talks:3 peace_process:3 peace:2 airstrike:3
            airstrikes:3 air_strike:3 missile:3 missiles:3 drone:2 drones:2 bomb:2 bombs:2
            bombing:3 bombings:3 shelling:3 artillery:3 weapons:2 weapon:2 arms:2 arms_deal:3
            nuclear:1 nuclear_weapons:3 fighter_jet:3 fighter_jets:3 navy:2 naval:2
            air_force:3 defense:2 defence:2 nato:3 pentagon:2 battle:2 battlefield:3
            frontline:3 front_line:3 offensive:2 insurgents:3 insurgency:3 rebels:2
            guerrilla:2 jihadist:3 jihadists:3 islamic_state:3 isis:3 hamas:2 hezbollah:2
            terror:2 terrorist:3 terrorists:3 terrorism:3 attack:1 attacks:1 casualties:2
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
        """,
        "economy": """
            economy:3 economic:3 economies:3 economist:2 economists:2 inflation:3 prices:3
            price:2 cost_of_living:3 market:2 markets:2 stock:2 stocks:2 shares:1 investors:2
            investment:2 investments:2 bank:2 banks:2 banking:2 central_bank:3 interest_rates:3
            debt:3 debts:3 loan:2 loans:2 imf:3 world_bank:3 budget:3 budgets:3 austerity:3
            taxes:2 tax:2 trade:2 tariff:3 tariffs:3 exports:3 imports:2 gdp:3 growth:1
            recession:3 crisis:1 financial:2 finance:2 profits:3 profit:2 capitalism:1
            capitalist:1 company:2 companies:2 corporation:2 corporations:2 firm:1 firms:1
            billion:1 business:2 businessman:2 industry:1 industries:1 bankrupt:3
            bankruptcy:3 currency:3 bitcoin:3 crypto:3 oil_prices:3 oil_trade:3 fuel:1 retail:2
            retailer:2 consumers:2 consumer:2 deal:1 privatisation:2 privatization:2
            nationalise:2 nationalize:2 nationalization:2 nationalisation:2 expropriate:2
            bailout:3 dollar:2 dividends:3 subsidies:2 poverty:2 inequality:2 wealth:2
            income:2 basic_income:3 multinationals:2 multinational:2 monopoly:2
            products:1 commercial:2 contract:1 shipbuilder:2 deposits:3 pound:1 chokepoint:2
        """,
        "environment": """
            climate:3 climate_change:3 global_warming:3 emissions:3 carbon:3 pollution:3
            polluted:3 pesticide:3 pesticides:3 toxic:2 chemicals:2 ecological:3 ecology:3
            ecologically:3 environment:3 environmental:3 biodiversity:3 species:2
            deforestation:3 forest:2 forests:2 wildfire:3 wildfires:3 flood:3 floods:3
            flooding:3 drought:3 cyclone:3 cyclones:3 hurricane:3 typhoon:3 earthquake:3
            tsunami:3 avalanche:3 blizzard:2 storm:2 disaster:2 heatwave:3
            renewable_energy:3 renewable_energies:3
            renewable_power:3 solar:2 wind_power:3
            fossil_fuels:3 fossil:2 coal:2 pipeline:2 fracking:3 oil_spill:3 plastic:2 waste:2
            glacier:2 glaciers:2 extinction:3 wildlife:3 eco:3 green_new_deal:3 greenhouse:3
            ecosocialism:3 poisoned:1 sterility:1
        """,
        "rights": """
            rights:2 human_rights:3 civil_rights:3 civil_liberties:3 repression:3 repressive:3
            crackdown:3 police:1 police_violence:3 police_brutality:3 police_killing:3
            police_crackdown:3 policing:2 cops:1 arrested:1 arrest:1 arrests:1
            detained:2 trafficked:3 trafficking:3 sex_trafficking:3 sexual_assault:3
            assaulted:2
            detention:3 prison:2 prisons:2 prisoners:2 political_prisoners:3 jailed:2 jail:2
            torture:3 censorship:3 censored:3 press_freedom:3 free_speech:3 freedom:1
            racism:3 racist:3 racial:3 discrimination:3 sexism:3 women:2 feminist:3
            feminism:3 gender:2 abortion:3 reproductive_rights:3 lgbt:3 lgbtq:3 gay:3
            lesbian:3 transgender:3 queer:3 homophobia:3 migrant:3 migrants:3 migration:3
            refugee:3 refugees:3 asylum:3 asylum_seekers:3 deport:3 deportation:3
            deportations:3 deported:3 deports:3 expulsions:3 immigration:3 immigrants:3
            xenophobia:3 islamophobia:3 anti_muslim:3 antisemitism:3 semitism:3 rape:3
            sexual_violence:3 sexual_misconduct:3 violence:1 sedition:3 foreign_agent:3
            foreign_agents:3 surveillance:2 dissent:2 dissident:3 dissidents:3 activist:1
            activists:1 death_squads:3 extrajudicial:3 death_penalty:3 indigenous:2
            apartheid:3 oppression:3 persecution:3 tear_gas:3 riot_police:3 security_forces:2
            massacre:2 atrocities:2 curbs:1 violations:2 infiltrated:2 undercover:2
            undercover_operation:3 navalny:2 inquisition:1 slain_protesters:3 protesters:1
        """,
        "theory": """
            marx:3 marxist:3 marxism:3 marxists:3 eco_marxism:3 cultural_revolution:2
            lenin:3 leninism:3 trotsky:3
            trotskyism:3 engels:3 hegel:3 dialectics:3 dialectical:3
            historical_materialism:3 philosophy:3 philosopher:3 ideology:2 ideological:2
            theory:3 theoretical:3 theorist:3 theorists:3 history:2 historian:3 historical:2
            anniversary:1 centenary:3 remembering:3 commemoration:2 review:1 book_review:3
            memoirs:1 biography:2 essay:2 classics:2 paris_commune:3 russian_revolution:3
            october_revolution:3 bolshevik:3 bolsheviks:3 stalinism:3 fanon:2 gramsci:3
            luxemburg:3 kropotkin:3 anarchist:2 anarchism:3 intellectual:2
            perspective:1 revolutionary_theory:3 messianism:2 read:1 reading:1 the_left:1
        """,
        "culture": """
            art:2 arts:3 artist:3 artists:3 film:3 films:3 movie:3 movies:3 cinema:3
            festival:2 film_festival:3 music:3 musician:3 song:3 songs:3 singer:3 singing:3
            band:2 concert:3 concerts:3 album:3 tour:1 theatre:3 theater:3 novel:3 novelist:3
            poet:3 poetry:3 poem:3 literature:3 literary:3 writer:2 book:2 books:2
            painter:3 painting:3 exhibition:3 museum:3 gallery:2 actor:3 actress:3 actors:3
            tv:2 television:3 episode:2 video_game:3 gaming:3 sport:3 sports:3 football:3
            soccer:3 league:3 coach:2 player:2 players:2 championship:3 tournament:3 world_cup:3
            olympic:3 olympics:3 paralympics:3 winter_games:3 athlete:3 athletes:3 medal:3
            medals:3 skater:3 skating:3 figure_skating:3 grand_prix:3 cycling:3 tennis:3
            boxing:3 formula_one:3 media:2 journalism:2 newspaper:3 broadcaster:3 radio:2
            podcast:2 social_media:1 carnival:3 dance:3 comedy:3 eurovision:3 netflix:2
            hollywood:3 oscar:3 opera:3 zine:1 games:1 orchestra:3 pop:2
            street_parties:3 culture:3 cultural:2 entertainment:3 gala:3 memoir:2 spectators:2
            doping:2 paper:1 public_broadcaster:3 public_television:3 washington_post:2
            short_program:3 medal_contender:3
        """,
    },
    "de": {
        "labour": """
            streik:3 streiks:3 streiken:3 *streik:3 warnstreik:3 generalstreik:3 gewerkschaft:3
            gewerkschaften:3 *gewerkschaft:3 gewerkschaftlich:3 arbeiter:2 arbeiterinnen:2
            arbeitnehmer:2 beschaftigte:2 beschaftigten:2 belegschaft:3 lohn:3 lohne:3
            *lohn:2 gehalt:2 tarif:3 tarifvertrag:3 tarifverhandlungen:3 mindestlohn:3
            entlassungen:1 kundigung:2 stellenabbau:3 arbeitsplatze:2 arbeitsplatz:2
            betriebsrat:3 kurzarbeit:3 arbeitslosigkeit:2 arbeitslose:2 ausstand:3 verdi:3
            ig_metall:3 gdl:3 lokfuhrer:2 fabrik:2 werk:1 beschaftigung:2
        """,
        "politics": """
            wahl:3 wahlen:3 *wahl:3 wahlkampf:3 partei:2 parteien:2 parteitag:3 regierung:2
            bundesregierung:3 minister:2 ministerin:2 ministerprasident:3 kanzler:3
            kanzlerin:3 kanzlerkandidat:3 kanzlerkandidatin:3 bundestag:3 parlament:3
            abgeordnete:2 prasident:2 bundesprasident:2 opposition:2 koalition:3 grune:2
            grunen:2 spd:3 cdu:3 csu:3 fdp:3 afd:3 linke:2 politik:2 politisch:2 politiker:2
            politikerin:2 diplomatie:3 botschafter:3 gipfel:2 putsch:3 rucktritt:2
            korruption:2 verfassung:2 demokratie:2 baerbock:2 laschet:2 scholz:2 merkel:2
            soder:2 *politik:2 lebenslauf:1
        """,
        "war": """
            krieg:3 kriege:3 *krieg:3 militar:3 militarisch:3 armee:3 bundeswehr:3 soldaten:3
            soldat:3 truppen:3 waffen:2 waffenhersteller:3 *waffen:2 rustung:3 waffenruhe:3
            waffenstillstand:3 friedensgesprache:3 frieden:2 angriff:2 anschlag:3 anschlage:3
            terror:3 terroranschlag:3 rakete:3 raketen:3 bombe:2 luftangriff:3
            luftangriffe:3 beschuss:3 invasion:3 besatzung:3 nato:3 hamas:2 nahostkonflikt:3
            nahost:2 konflikt:2 eskalation:2 eskalationen:2 gaza:2 kampfe:3 front:1
        """,
        "economy": """
            wirtschaft:3 *wirtschaft:3 wirtschaftlich:3 inflation:3 preise:3 preis:2 markt:2
            markte:2 borse:3 aktie:3 aktien:3 anleger:3 investoren:2 geldgeber:3 bank:2
            banken:2 zentralbank:3 ezb:3 zinsen:3 schulden:3 haushalt:2 steuer:2 steuern:2
            handel:2 zolle:3 export:3 exporte:3 konjunktur:3 rezession:3 krise:1
            unternehmen:2 konzern:3 konzerne:3 firma:2 gewinn:3 gewinne:3 umsatz:3
            insolvenz:3 pleite:3 milliarden:1 millionen:1 euro:1 dollar:1 einzelhandel:3
            tourismus:2 bitcoin:3 geld:2
        """,
        "environment": """
            klima:3 klimawandel:3 klimaschutz:3 *klima:3 umwelt:3 umweltschutz:3 *umwelt:3
            emissionen:3 co2:3 verschmutzung:3 giftstoffe:3 giftig:3 chemikalien:2
            pestizide:3 hochwasser:3 uberschwemmung:3 durre:3 waldbrand:3 waldbrande:3
            sturm:2 erdbeben:3 katastrophe:2 naturkatastrophe:3 erneuerbar:3 kohle:2
            kohleausstieg:3 atomkraft:2 kurzstreckenfluge:3 billigfluge:3 artensterben:3
            entsorgung:2 mull:2 plastik:2
        """,
        "rights": """
            menschenrechte:3 rechte:2 polizei:1 polizisten:1 polizeigewalt:3 festnahme:1
            festgenommen:1 verhaftet:1 haft:2 gefangnis:2 repression:3 unterdruckung:3 zensur:3
            pressefreiheit:3 rassismus:3 rassistisch:3 diskriminierung:3 antisemitismus:3
            antisemitisch:3 frauen:2 frauenrechte:3 feminismus:3 abtreibung:3
            gleichberechtigung:3 lgbt:3 queer:3 homosexuell:3 fluchtlinge:3 gefluchtete:3
            migranten:3 migration:3 asyl:3 abschiebung:3 abgeschoben:3 folter:3
            uberwachung:2 menschenrechtler:3
        """,
        "theory": """
            marx:3 marxistisch:3 marxismus:3 lenin:3 trotzki:3 engels:3 hegel:3
            philosophie:3 philosoph:3 theorie:3 ideologie:3 geschichte:2 historiker:3
            historisch:2 jahrestag:2 rezension:3 dialektik:3 materialismus:3
        """,
        "culture": """
            kultur:3 kunst:3 kunstler:3 film:3 kino:3 musik:3 musiker:3 sanger:3 sangerin:3
            lied:3 song:2 konzert:3 album:3 theater:3 roman:2 literatur:3 schriftsteller:3
            autor:2 buch:2 museum:3 ausstellung:3 fernsehen:3 tv:2 serie:2 krimi:3
            sonntagskrimi:3 tatort:3 sendung:2 schauspieler:3 schauspielerin:3 festival:2
            berlinale:3 sport:3 fussball:3 bundesliga:3 liga:3 zweitliga:3 spieltag:3 spiel:2
            trainer:3 verein:2 fans:2 tor:2 meisterschaft:3 aufstieg:2 abstieg:3 olympia:3
            olympische:3 medaille:3 weltmeister:3 gameplay:3 videospiel:3 medien:3
            zeitung:2 rundfunk:3 podcast:2 bvb:3 hsv:3 borusse:3 stadion:3 *liga:3
        """,
    },
    "es": {
        "labour": """
            huelga:3 huelgas:3 huelguistas:3 paro:2 paros:2 sindicato:3 sindicatos:3
            sindical:3 sindicalistas:3 trabajadores:2 trabajador:2 trabajadoras:2 obreros:2
            obrera:2 obrero:2 clase_obrera:2 salario:3 salarios:3 salarial:3 sueldo:2
            sueldos:2 despidos:3 despido:3 empleo:1 desempleo:2 patronal:3 patrones:2
            convenio:3 negociacion_colectiva:3 huelga_general:3 piquete:3 piquetes:3
            jornada_laboral:3 laboral:3 laborales:3 fabrica:2 cgt:3 ccoo:3 ugt:3 cta:3
            precarizacion:3 precariedad:3 control_obrero:3 docentes:2 maestros:2
        """,
        "politics": """
            elecciones:3 eleccion:3 electoral:3 voto:2 votos:2 votacion:2 referendum:3
            parlamento:3 congreso:2 senado:2 diputados:2 diputado:2 partido_politico:3
            gobierno:2 ministro:2 ministra:2 presidente:2 presidenta:2 presidencial:3
            oposicion:2 coalicion:2 campana:1 candidato:2 candidata:2 politica:2 politico:2
            politicos:2 golpe:2 golpe_de_estado:3 dictadura:2 regimen:2 izquierda:2
            derecha:2 ultraderecha:3 fascismo:2 democracia:2 corrupcion:2 embajador:3
            diplomacia:3 cumbre:2 milei:2 lula:2 petro:2 boric:2 amlo:2 kirchner:2 psoe:3
            podemos:1 vox:2 alcalde:2 gobernador:2 destitucion:3 constitucion:2
            protestas:1 manifestaciones:1
            rebelion:2 revolucion:1 estallido_social:3 sanciones:1 guerra_fria:2 junta_militar:2
        """,
        "war": """
            guerra:3 guerras:3 militar:3 militares:3 ejercito:3 soldados:3 tropas:3
            invasion:3 ocupacion:2 alto_el_fuego:3 tregua:3 paz:2 negociaciones_de_paz:3
            bombardeo:3 bombardeos:3 misil:3 misiles:3 dron:2 drones:2 armas:2 armamento:3
            otan:3 ataque:1 atentado:2 terrorista:3 terrorismo:3 ofensiva:2 combates:3
            gaza:2 imperialismo:2 genocidio:3 conflicto_armado:3 frente:1 militariza:2
            campo_de_batalla:3 guerra_fria:3
        """,
        "economy": """
            economia:3 economica:3 economico:3 inflacion:3 precios:3 precio:2 mercado:2
            mercados:2 bolsa:2 inversores:3 inversion:2 banco:2 bancos:2 deuda:3 fmi:3
            prestamo:2 presupuesto:3 austeridad:3 ajuste:2 impuestos:2 comercio:2
            aranceles:3 exportaciones:3 importaciones:2 pib:3 recesion:3 crisis:1 empresa:2
            empresas:2 ganancias:3 beneficios:2 capitalismo:1 privatizacion:3
            privatizaciones:3 nacionalizacion:2 expropiar:2 pobreza:2 desigualdad:2
            quiebra:3 moneda:2 dolar:2 tarifas:2 costo_de_vida:3 oligarcas:2 vivienda:2
            alquileres:2 bloqueo:1 desempleo:1 salario_real:2
        """,
        "environment": """
            clima:3 climatico:3 cambio_climatico:3 calentamiento:3 medio_ambiente:3
            ambiental:3 ambientales:3 contaminacion:3 emisiones:3 carbono:3 pesticidas:3
            toxicos:2 sequia:3 inundaciones:3 incendios:2 incendio_forestal:3 huracan:3
            terremoto:3 desastre:2 extractivismo:3 deforestacion:3 ecologista:3 ecologia:3
            renovables:3 glaciares:2 biodiversidad:3 mineria:1
        """,
        "rights": """
            derechos:2 derechos_humanos:3 represion:3 reprimir:3 policia:3 policial:3
            policias:3 detenido:2 detenidos:2 detencion:2 arrestado:2 carcel:2 presos:2
            presos_politicos:3 tortura:3 censura:3 libertad_de_prensa:3 racismo:3
            racista:3 discriminacion:3 mujeres:2 feminista:3 feminismo:3 aborto:3 genero:2
            violencia_de_genero:3 feminicidio:3 femicidio:3 lgbt:3 lgbti:3 migrantes:3
            migracion:3 inmigrantes:3 refugiados:3 asilo:3 deportacion:3 deportados:3
            indigenas:2 desaparecidos:3 persecucion:3 violencia:1 masacre:2
            estado_de_excepcion:3 mujer:1 violencia_policial:3
        """,
        "theory": """
            marx:3 marxista:3 marxismo:3 lenin:3 leninismo:3 trotsky:3 trotskismo:3 engels:3
            filosofia:3 filosofo:3 teoria:3 ideologia:3 dialectica:3 materialismo:3
            historia:2 historico:2 historiador:3 aniversario:2 resena:3
            revolucion_rusa:3 comuna_de_paris:3 bolchevique:3 gramsci:3
        """,
        "culture": """
            cultura:3 cultural:3 arte:3 artista:3 artistas:3 cine:3 pelicula:3 peliculas:3
            musica:3 musico:3 cantante:3 cancion:3 concierto:3 disco:2 album:3 teatro:3
            novela:3 literatura:3 escritor:3 escritora:3 poeta:3 poesia:3 libro:2 museo:3
            exposicion:3 television:3 serie:2 actor:3 actriz:3 festival:2 deporte:3
            deportes:3 futbol:3 futbolista:3 liga:2 equipo:2 entrenador:3 jugador:3
            jugadores:3 campeonato:3 torneo:3 copa:2 mundial:2 olimpicos:3 medalla:3
            periodismo:2 medios:2 carnaval:3 gran_premio:3 videojuego:3
        """,
    },
    "fr": {
        "labour": """
            greve:3 greves:3 greviste:3 grevistes:3 syndicat:3 syndicats:3 syndical:3
            syndicale:3 syndicalistes:3 intersyndicale:3 cgt:3 cfdt:3 salaries:3 salarie:3
            travailleurs:2 travailleur:2 ouvriers:2 ouvrier:2 salaire:3 salaires:3
            licenciements:3 licenciement:3 plan_social:3 emploi:1 emplois:1 chomage:2
            patronat:3 patron:2 patrons:2 usine:3 fonderie:2 debrayage:3 piquet:3
            conditions_de_travail:3 interimaires:3 precarite:3 travail:1
        """,
        "politics": """
            election:3 elections:3 electoral:3 electorale:3 vote:2 scrutin:3
            presidentielle:3 legislatives:3 parlement:3 assemblee_nationale:3 senat:2
            depute:2 deputes:2 parti:2 partis:2 gouvernement:2 ministre:2 premier_ministre:3
            president:2 presidente:2 opposition:2 coalition:2 campagne:1 candidat:2
            candidate:2 politique:2 politiques:2 coup_etat:3 regime:2 dictature:2 gauche:2
            droite:2 extreme_droite:3 rn:3 rassemblement_national:3 lfi:3 macron:2 le_pen:2
            melenchon:2 maire:2 democratie:2 corruption:2 ambassadeur:3 diplomatie:3
            sommet:2 emplois_fictifs:3 demission:2 haut_commissaire:2
        """,
        "war": """
            guerre:3 guerres:3 militaire:3 militaires:3 armee:3 soldats:3 troupes:3
            invasion:3 occupation:2 cessez_le_feu:3 treve:3 paix:2 pourparlers:2 frappe:2
            frappes:2 bombardement:3 bombardements:3 missile:3 missiles:3 roquettes:3
            drone:2 armes:2 armement:3 otan:3 attentat:3 terroriste:3 terrorisme:3
            offensive:2 combats:3 conflit:2 arme_blanche:0 hamas:2 gaza:2 genocide:3 israelo:2
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
        """,
        "environment": """
            climat:3 climatique:3 rechauffement:3 environnement:3 environnemental:3
            ecologie:3 ecologique:3 ecologistes:3 pollution:3 pesticides:3 toxiques:2
            emissions:1 emissions_de_co2:3 gaz_a_effet_de_serre:3 carbone:3 secheresse:3
            inondations:3 incendies:2 canicule:3
            tempete:2 ouragan:3 seisme:3 catastrophe_naturelle:3 biodiversite:3
            nucleaire:1 renouvelables:3 dechets:2 plastique:2
        """,
        "rights": """
            droits:2 droits_homme:3 droits_humains:3 repression:3 police:1 policiers:1
            interpelle:2 interpelles:2 garde_a_vue:3 prison:2 detenus:2 torture:3
            censure:3 liberte_de_la_presse:3 racisme:3 raciste:3 discriminations:3
            discrimination:3 grossophobie:3 femmes:1 feministe:3 feminisme:3 avortement:3
            ivg:3 violences_sexuelles:3 feminicide:3 lgbt:3 homophobie:3 transphobie:3
            migrants:3 migration:3 immigration:3 refugies:3 asile:3 expulsion:2
            sans_papiers:3 islamophobie:3 antisemitisme:3 violences_policieres:3
        """,
        "theory": """
            marx:3 marxiste:3 marxisme:3 lenine:3 trotsky:3 engels:3 hegel:3 philosophie:3
            philosophe:3 theorie:3 ideologie:3 dialectique:3 materialisme:3 histoire:2
            historien:3 historique:2 commune_de_paris:3 essai:2
        """,
        "culture": """
            culture:3 culturel:3 art:3 artiste:3 artistes:3 cinema:3 film:3 films:3
            musique:3 musicien:3 chanteur:3 chanteuse:3 chanson:3 concert:3 album:3
            theatre:3 roman:3 romancier:3 litterature:3 ecrivain:3 editeur:3 poete:3
            livre:2 musee:3 exposition:3 television:3 emission:3 serie:2 acteur:3 actrice:3
            festival:2 the_voice:3 sport:3 football:3 ligue:3 match:3 equipe:2 entraineur:3
            joueur:3 joueurs:3 championnat:3 coupe:2 tournoi:3 olympiques:3 medaille:3
            tour_de_france:3 giro:3 etape:2 maillot:3 cyclisme:3 motogp:3 grand_prix:3
            course:1 tennis:3 rugby:3 medias:3 tele:3 star:2 instagram:1 people:2
            tele_loisirs:3 eurosport:3 lequipe:3
        """,
    },
    "pt": {
        "labour": """
            greve:3 greves:3 grevistas:3 paralisacao:3 paralisacoes:3 sindicato:3
            sindicatos:3 sindical:3 trabalhadores:2 trabalhador:2 operarios:2 operaria:2
            salario:3 salarios:3 salarial:3 reajuste:2 demissoes:3 desemprego:2 emprego:1
            patroes:3 patronal:3 fabrica:2 metroviarios:3 petroleiros:3 greve_geral:3
            piquete:3 terceirizacao:3 precarizacao:3 jornada:1
        """,
        "politics": """
            eleicao:3 eleicoes:3 eleitoral:3 voto:2 votos:2 urna:2 referendo:3
            parlamento:3 congresso:2 senado:2 deputado:2 deputados:2 partido:2 partidos:2
            governo:2 ministro:2 ministra:2 presidente:2 presidencia:2 presidencial:3
            oposicao:2 coalizao:2 campanha:1 candidato:2 politica:2 politico:2 politicos:2
            golpe:2 golpe_de_estado:3 ditadura:2 regime:2 esquerda:2 direita:2
            extrema_direita:3 fascismo:2 democracia:2 corrupcao:2 protestos:1
            manifestacoes:1 revolta:2 lei_marcial:3 embaixador:3
            diplomacia:3 cupula:2 lula:2 bolsonaro:2 pt:2 prefeito:2 governador:2
            impeachment:3 constituicao:2
        """,
        "war": """
            guerra:3 guerras:3 militar:3 militares:3 exercito:3 soldados:3 tropas:3
            invasao:3 ocupacao:2 cessar_fogo:3 tregua:3 paz:2 bombardeio:3 bombardeios:3
            missil:3 misseis:3 drone:2 armas:2 otan:3 ataque:1 atentado:2 terrorista:3
            terrorismo:3 ofensiva:2 combates:3 gaza:2 genocidio:3 imperialismo:2
        """,
        "economy": """
            economia:3 economica:3 economico:3 inflacao:3 precos:3 preco:2 mercado:2
            bolsa:2 investidores:3 investimento:2 banco:2 bancos:2 divida:3 fmi:3
            emprestimo:2 orcamento:3 arcabouco_fiscal:3 fiscal:2 austeridade:3 impostos:2
            comercio:2 tarifas:2 exportacoes:3 pib:3 recessao:3 crise:1 empresa:2
            empresas:2 lucros:3 lucro:3 capitalismo:1 privatizacao:3 privatizacoes:3
            falencia:3 moeda:2 dolar:2 pobreza:2 desigualdade:2 juros:3 mercado_financeiro:3
            habitacao:2 rendas:2 alugueis:2 desemprego:1
        """,
        "environment": """
            clima:3 climatico:3 climatica:3 mudanca_climatica:3 mudancas_climaticas:3
            aquecimento:3 meio_ambiente:3 ambiental:3 poluicao:3 emissoes:3 carbono:3
            agrotoxicos:3 pesticidas:3 seca:3 enchentes:3 inundacoes:3 queimadas:3
            incendios:2 desmatamento:3 amazonia:2 furacao:3 terremoto:3 desastre:2
            barragem:2 mineracao:1 biodiversidade:3 renovaveis:3 ecologia:3
        """,
        "rights": """
            direitos:2 direitos_humanos:3 repressao:3 policia:3 policial:3 policiais:3
            preso:2 presos:2 prisao:2 detido:2 tortura:3 censura:3 liberdade_de_imprensa:3
            racismo:3 racista:3 discriminacao:3 mulheres:2 feminista:3 feminismo:3
            aborto:3 genero:2 feminicidio:3 lgbt:3 lgbtqia:3 homofobia:3 migrantes:3
            imigrantes:3 migracao:3 refugiados:3 asilo:3 deportacao:3 indigenas:2
            quilombolas:3 chacina:3 perseguicao:3 violencia_policial:3 lei_marcial:2
        """,
        "theory": """
            marx:3 marxista:3 marxismo:3 lenin:3 trotsky:3 engels:3 filosofia:3 filosofo:3
            teoria:3 ideologia:3 dialetica:3 materialismo:3 historia:2 historico:2
            historiador:3 resenha:3 revolucao_russa:3 gramsci:3
        """,
        "culture": """
            cultura:3 cultural:3 arte:3 artista:3 cinema:3 filme:3 filmes:3 musica:3
            musico:3 cantor:3 cantora:3 cancao:3 show:2 album:3 teatro:3 literatura:3
            escritor:3 poeta:3 poesia:3 livro:2 museu:3 exposicao:3 televisao:3 novela:3
            serie:2 ator:3 atriz:3 festival:2 carnaval:3 esporte:3 esportes:3 futebol:3
            jogador:3 jogadores:3 campeonato:3 copa:2 torneio:3 olimpicos:3 medalha:3
            formula_1:3 midia:3
        """,
    },
    "ru": {
        "labour": """
            забастовка:3 забастовки:3 забастовок:3 бастовать:3 бастуют:3 стачка:3
            профсоюз:3 профсоюзы:3 профсоюзов:3 профсоюзный:3 рабочие:2 рабочих:2
            трудящиеся:3 работники:2 зарплата:3 зарплаты:3 зарплат:3 заработной_платы:3
            увольнения:3 увольнение:3 сокращения:2 безработица:3 занятость:2 трудовой:3
            трудовые:3 работодатель:3 завод:2 шахтеры:3 забастовщики:3
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
        """,
        "war": """
            война:3 войны:3 войне:3 войной:3 военный:3 военные:3 военных:3 армия:3 армии:3
            войска:3 солдаты:3 вторжение:3 оккупация:3 перемирие:3 прекращение_огня:3
            мирные_переговоры:3 обстрел:3 обстрелы:3 обстрелов:3 ракета:3 ракеты:3 удар:2
            удары:2 бомба:2 бомбардировка:3 дрон:2 беспилотник:3 оружие:2 вооружение:3
            нато:3 теракт:3 террорист:3 терроризм:3 диверсанты:3 учения:2 боевики:3
            боевые:3 фронт:2 хамас:2 сектор_газа:3 конфликт:2 ядерный:2 спецназ:2 флот:3
            вмс:3 корабль:2 палестинцев:2 банды:1
        """,
        "economy": """
            экономика:3 экономики:3 экономический:3 инфляция:3 цены:3 цен:3 цена:2 рынок:2
            рынка:2 биржа:3 акции:1 инвесторы:3 инвестиции:2 банк:2 цб:3 центробанк:3
            долг:2 бюджет:3 налоги:2 налог:2 торговля:2 пошлины:3 экспорт:3 импорт:2 ввп:3
            рецессия:3 кризис:1 компания:2 компании:2 дивиденды:3 дивидендах:3 прибыль:3
            выручка:3 капитализм:1 приватизация:3 банкротство:3 валюта:3 валют:3 курс:1
            рубль:3 доллар:2 биткоин:3 криптовалюта:3 swift:3 котировки:3 подорожал:3
            подешевел:3 стоимость:2 производитель:2
        """,
        "environment": """
            климат:3 климатический:3 изменение_климата:3 экология:3 экологический:3
            окружающая_среда:3 загрязнение:3 выбросы:3 углерод:3 засуха:3 наводнение:3
            пожары:2 лесные_пожары:3 ураган:3 землетрясение:3 стихийное_бедствие:3
            отходы:2 мусор:2
        """,
        "rights": """
            права_человека:3 правам_человека:3 права:2 правозащитник:3 правозащитники:3
            репрессии:3 полиция:1 полицейские:1 силовики:3 задержан:1 задержания:2
            задержаны:1 арест:1 арестован:1 тюрьма:2 заключенные:2 политзаключенные:3
            пытки:3 цензура:3 свобода_слова:3 блокировка:2 заблокировали:3 расизм:3
            дискриминация:3 женщины:2 феминизм:3 аборт:3 лгбт:3 мигранты:3 миграция:3
            беженцы:3 депортация:3 иноагент:3 иноагенты:3 иностранный_агент:3 расправа:3
            расправой:3 еспч:3 пригрозил:2
        """,
        "theory": """
            маркс:3 марксизм:3 марксист:3 ленин:3 троцкий:3 энгельс:3 философия:3 философ:3
            теория:3 идеология:3 диалектика:3 материализм:3 история:2 исторический:2
            историк:3 годовщина:2 рецензия:3 большевики:3
        """,
        "culture": """
            культура:3 искусство:3 художник:3 кино:3 фильм:3 музыка:3 музыкант:3 певец:3
            певица:3 песня:3 песне:3 концерт:3 альбом:3 театр:3 литература:3 писатель:3
            поэт:3 книга:2 музей:3 выставка:3 телевидение:3 сериал:3 шоу:2 актер:3
            актриса:3 артистка:3 артист:3 фестиваль:2 евровидение:3 евровидения:3 спорт:3
            футбол:3 матч:3 клуб:2 тренер:3 игрок:3 игроки:3 чемпионат:3 турнир:3 лига:3
            премьер_лиги:3
            олимпийские:3 медаль:3 стадион:3 арена:2 геймплей:3 видеоигра:3 gta:3 ps5:3
            xbox:3 сми:2 вокалист:3 дисквалифицировали:2 гость:1 ведущий:2
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
